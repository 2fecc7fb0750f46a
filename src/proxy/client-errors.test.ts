import { describe, expect, it } from 'vitest';
import { clientErrorReasonOf, forwardableTarget } from './client-errors.js';

describe('forwardableTarget', () => {
  it('keeps origin-form, reduces absolute-form to its path, and refuses the rest', () => {
    expect(forwardableTarget('/a/b?c=1')).toBe('/a/b?c=1');
    expect(forwardableTarget('http://shop.example/a?x=1')).toBe('/a?x=1');
    expect(forwardableTarget('HTTPS://shop.example')).toBe('/');
    for (const bad of ['*', '', undefined, 'shop.example:443', 'ftp://x/y', 'http://[bad/']) expect(forwardableTarget(bad), String(bad)).toBeUndefined();
  });
});

describe('clientErrorReasonOf', () => {
  it('names header overflows and request timeouts, and calls the rest malformed', () => {
    expect([clientErrorReasonOf('HPE_HEADER_OVERFLOW'), clientErrorReasonOf('ERR_HTTP_REQUEST_TIMEOUT'), clientErrorReasonOf('HPE_INVALID_METHOD'), clientErrorReasonOf(undefined)]).toEqual([
      'header_too_large',
      'request_timeout',
      'malformed_request',
      'malformed_request',
    ]);
  });
});
