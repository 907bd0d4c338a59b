/**
 * What every HTTP answer stands on: typed input schemas (schemas.ts) and errors as problem details for
 * the API (problems.ts). Today's `src/http/` (body limits, CSRF, caching, HTML error routing) stays
 * where it is; its error handler hands API addresses to `problems.ts`.
 */
export * from './schemas.ts';
export * from './problems.ts';
export { registerApiValidation } from './validation.ts';
