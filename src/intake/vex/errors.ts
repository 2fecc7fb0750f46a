import type { z } from 'zod';
import { UfError } from '../../core/errors.js';

export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

export function invalidDocument(file: string, error: z.ZodError): UfError {
  const issue = error.issues[0];
  return new UfError('import_invalid', `not a VEX document this importer reads: ${issue?.message ?? 'invalid'}`, { file, ...(issue ? { path: issue.path.map(String).join('.') } : {}) });
}
