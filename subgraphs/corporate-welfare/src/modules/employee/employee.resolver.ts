import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Employee } from './employee.entity.js';
import { EmployeeChangeInput, EmployeePageType, EmployeeType } from './employee.type.js';

const HR_ONLY =
  'The employer’s HR only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed employer id, FORBIDDEN otherwise.';

@Resolver(() => EmployeeType)
export class EmployeeResolver {
  constructor(private readonly services: Services) {}

  @Query(() => EmployeePageType, {
    description: `A page of the employer’s employees, by family and given name, optionally searched. ${HR_ONLY}`,
  })
  employerEmployees(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Only employees whose name, codice fiscale or e-mail contains it.',
    })
    search: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 25).' })
    first: number | null,
    @Arg('offset', () => Int, { nullable: true, description: 'Employees skipped (default 0).' })
    offset: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<{ items: Employee[]; totalCount: number; offset: number }> {
    return this.services.employees.page(ctx.em, ctx.caller, employerId, { search, first, offset });
  }

  @Query(() => EmployeeType, {
    nullable: true,
    description: `One employee of the employer (null when missing or another employer’s). ${HR_ONLY}`,
  })
  employerEmployee(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('id', () => ID, { description: 'The employee.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Employee | null> {
    return this.services.employees.find(ctx.em, ctx.caller, employerId, id);
  }

  @Mutation(() => EmployeeType, {
    description: `Changes an employee’s category, e-mail, dependent children and end date (a leaver). BAD_USER_INPUT with the fields at fault (nothing written), NOT_FOUND for an employee missing or another employer’s. ${HR_ONLY}`,
  })
  changeEmployerEmployee(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('id', () => ID, { description: 'The employee.' }) id: string,
    @Arg('input', () => EmployeeChangeInput, { description: 'The new values.' })
    input: EmployeeChangeInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Employee> {
    return this.services.employees.change(ctx.em, ctx.caller, employerId, id, input);
  }
}
