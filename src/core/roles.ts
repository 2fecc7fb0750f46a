/**
 * Roles a token or a person can hold. Later stages check them at their gates. `auditor` and
 * `viewer` only read; `auditor` also reads the audit exports and proofs.
 */
export const roles = ['viewer', 'auditor', 'operator', 'service-owner', 'approver', 'security', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Roles that may never change anything, through any route or command. */
export const readOnlyRoles: readonly Role[] = ['viewer', 'auditor'];

/** Every role that may change something somewhere (each route still names which of them it lets in). */
export const writingRoles: readonly Role[] = roles.filter((r) => !readOnlyRoles.includes(r));
