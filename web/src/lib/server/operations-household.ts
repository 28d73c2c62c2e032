// Operations of the citizen's household (public-welfare's registry: whom they book for) and of
// the language of their messages (third-sector's and the Comuni's). Server-only.
import { graphql } from './graphql';

/** The members of the caller's own households (the caller first): names, birth date, CF. */
export const MyHouseholdMembersQuery = graphql(`
  query MyHouseholdMembers {
    myHouseholdMembers {
      givenName
      familyName
      birthDate
      fiscalCode
      isCaller
    }
  }
`);

export const MyNotificationLanguageQuery = graphql(`
  query MyNotificationLanguage {
    myNotificationLanguage
  }
`);

export const SetMyNotificationLanguageMutation = graphql(`
  mutation SetMyNotificationLanguage($language: String!) {
    setMyNotificationLanguage(language: $language)
  }
`);

/** The language of the Comuni's messages to the caller (public-welfare; `it` until chosen). */
export const MyMessageLanguageQuery = graphql(`
  query MyMessageLanguage {
    myMessageLanguage
  }
`);

export const SetMyMessageLanguageMutation = graphql(`
  mutation SetMyMessageLanguage($language: String!) {
    setMyMessageLanguage(language: $language)
  }
`);
