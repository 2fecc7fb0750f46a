/** Roles a token or a person can hold. Later stages check them at their gates. */
export const roles = ['viewer', 'operator', 'service-owner', 'approver', 'security', 'admin'] as const;
export type Role = (typeof roles)[number];
