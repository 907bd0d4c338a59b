/**
 * Identifier and value formats every capability checks the same way (e-mail, ORCID, ISSN, country,
 * journal path, password rules). Pure functions without dependencies: the OJS import's worker
 * thread loads them without loading any capability.
 */
export * from './identifiers.ts';
export { COUNTRY_CODES, WITHDRAWN_COUNTRY_CODES, countryName, currentCountryCode } from './countries.ts';
