import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'A new pagoPA notice of a Comune.' })
export class IssuePagopaNoticeInput {
  @Field(() => ID, { description: 'The issuing Comune (identity Organisation id).' })
  comuneId!: string;

  @Field(() => String, {
    description: 'The debtor’s codice fiscale (16 characters) or an 11-digit one.',
  })
  debtorFiscalCode!: string;

  @Field(() => String, { description: 'The debtor’s full name (2 to 70 characters).' })
  debtorName!: string;

  @Field(() => String, { description: 'What is paid for (causale, 3 to 140 characters).' })
  reason!: string;

  @Field(() => Int, { description: 'The amount owed, in integer euro cents (more than 0).' })
  amountCents!: number;

  @Field(() => String, { description: 'Due date, YYYY-MM-DD (today or later).' })
  dueDate!: string;
}
