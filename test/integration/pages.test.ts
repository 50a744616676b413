// The pages over HTTP on DynamoDB Local: HTML with a strict CSP, ETag/304 like the JSON routes, an HTML 404,
// the page routes known to the API's 405, and a page drawn from the stored assessments and alerts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../cli/local/pipeline.ts';
import { CONFIRMED_SHIFT, invokeEvaluate, useApi, useLocalStack } from './local-stack.ts';

describe('the pages', () => {
  const stack = useLocalStack();
  const api = useApi(stack);

  it('says a scenario is not assessed yet before its first evaluation', async () => {
    const response = await api.get('/scenarios/kupyansk');

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Not assessed yet');
  });

  it('serves the scenario page as HTML whose only style the Content-Security-Policy allows by hash', async () => {
    // Arrange
    await runIngest(stack.handlers);
    await invokeEvaluate(stack, CONFIRMED_SHIFT);

    // Act
    const response = await api.get('/scenarios/kupyansk');
    const html = await response.text();

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] as string)
      .digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    // Drawn from what is stored: the shift of February 2024 is in the log and on the timeline.
    expect(html).toMatch(/<tr data-kind="path-shift" data-at="2024-02-01T00:00:00.000Z"/);
    expect(html).toContain('shift → risk · 2024-02');
    expect(html).toContain('id="headline" class="headline" data-leader="risk"');
  });

  it('answers 304 to a matching If-None-Match, as the JSON routes do', async () => {
    // Arrange
    const first = await api.get('/');
    const etag = first.headers.get('etag') ?? '';

    // Act
    const again = await api.get('/', { 'if-none-match': etag });

    // Assert
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('lists every scenario on the index, linking its page', async () => {
    const html = await (await api.get('/')).text();

    expect(html).toContain('<a href="/scenarios/kupyansk">Kupyansk front-line momentum</a>');
    expect(html).toContain('data-leader="risk"');
  });

  it('answers an unknown scenario with an HTML 404 page', async () => {
    const response = await api.get('/scenarios/no-such-scenario');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('There is no scenario “no-such-scenario”.');
  });

  it('answers another method on a page with 405 and the methods it takes', async () => {
    const response = await api.send('POST', '/scenarios/kupyansk', {});

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, OPTIONS');
  });
});
