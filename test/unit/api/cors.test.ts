import { describe, expect, it } from 'vitest';
import { corsHeaders, parseOrigins, preflight } from '../../../functions/api/cors.ts';

describe('CORS headers', () => {
  const allowed = parseOrigins('https://a.example.org, https://b.example.org');

  it('reads a comma-separated list of origins, ignoring blanks', () => {
    expect(parseOrigins(' https://a.example.org,,https://b.example.org ')).toEqual([
      'https://a.example.org',
      'https://b.example.org',
    ]);
  });

  it('lets any origin read when the list holds *', () => {
    expect(corsHeaders(['*'], 'https://anywhere.example')).toMatchObject({
      'access-control-allow-origin': '*',
    });
  });

  it('echoes an allowed origin, each of several, and varies on it', () => {
    expect(corsHeaders(allowed, 'https://b.example.org')).toEqual({
      'access-control-allow-origin': 'https://b.example.org',
      'access-control-expose-headers': 'etag',
      vary: 'origin',
    });
  });

  it('gives an origin not on the list no allow-origin, so the browser refuses the answer', () => {
    expect(corsHeaders(allowed, 'https://evil.example')).toEqual({ vary: 'origin' });
    expect(corsHeaders(allowed, undefined)).toEqual({ vary: 'origin' });
  });

  it('answers a preflight with the write methods and the headers clients send', () => {
    const headers = preflight(allowed, 'https://a.example.org').headers ?? {};

    expect(headers['access-control-allow-origin']).toBe('https://a.example.org');
    expect(headers['access-control-allow-methods']).toBe('GET, POST, PUT, DELETE, OPTIONS');
    expect(headers['access-control-allow-headers']).toContain('if-none-match');
    expect(headers['access-control-allow-headers']).toContain('x-amz-date');
  });
});
