/** English strings of site administration and journal management. */
export const adminEn = {
} as const;
