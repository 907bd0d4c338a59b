import type { adminEn } from './admin.en.ts';

/** Polskie teksty administracji witryny i zarządzania czasopismem. */
export const adminPl: Record<keyof typeof adminEn, string> = {
};
