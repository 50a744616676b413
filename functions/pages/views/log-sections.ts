// The reference sections of a scenario page: the alerts log, each source's freshness and last error, the
// paths with their descriptions and priors, and links to the JSON routes behind the page.

import { el } from '../../../shared/charts/svg.ts';
import { pathRole, STYLED } from '../../../shared/charts/theme.ts';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import type { AlertRecord } from '../../../shared/store/alerts.ts';
import type { ScenarioData } from '../data.ts';
import { badge, date, esc, percent, scrollTable } from '../layout.ts';
import { type IndicatorState, pathTitle } from '../model.ts';

const KIND_NAMES: Record<AlertRecord['kind'], string> = {
  'path-shift': 'Shift',
  reverted: 'Reversal',
  'forecast-warning': 'Forecast warning',
  'data-stale': 'Data stale',
  'data-recovered': 'Data back',
  'silence-summary': 'Silence summary',
};

export function alertSection({ scenario, alerts }: ScenarioData): string {
  const heading = '<h2 id="alerts-h">Alerts</h2>';
  if (alerts.length === 0) {
    return `<section id="alerts" aria-labelledby="alerts-h">${heading}<p>No alert yet.</p></section>`;
  }
  const rows = [...alerts].reverse().map((alert) => {
    const status =
      alert.status === 'sent'
        ? badge('ok', 'sent')
        : alert.status === 'pending'
          ? badge('warn', 'pending')
          : badge('warn', 'held by a silence');
    return `<tr data-kind="${esc(alert.kind)}" data-at="${esc(alert.at)}" data-sequence="${alert.sequence}"><td class="num">${alert.sequence}</td><td>${date(alert.at)}</td><td>${esc(KIND_NAMES[alert.kind])}</td><td>${what(scenario, alert)}</td><td>${status}</td></tr>`;
  });
  const table = `<table><thead><tr><th class="num">#</th><th>As of</th><th>Kind</th><th>What</th><th>Status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="alerts" aria-labelledby="alerts-h">${heading}
<p class="soft">Newest first: every alert raised, as subscribers received it.</p>
${scrollTable('Alerts', table)}
</section>`;
}

function what(scenario: Scenario, alert: AlertRecord): string {
  const title = (id: string | null | undefined) => `“${esc(pathTitle(scenario, id))}”`;
  const indicators = (ids: string[]) =>
    esc(ids.map((id) => scenario.indicators.find((i) => i.id === id)?.title ?? id).join(', '));
  switch (alert.kind) {
    case 'path-shift':
    case 'reverted':
      return `${title(alert.from)} → ${title(alert.to)} (${percent(alert.probabilitiesAfter[alert.to])})`;
    case 'forecast-warning':
      return `${title(alert.to)} projected as likely by ${date(alert.until)} (${percent(alert.probability)} chance of a confirmed change)`;
    case 'data-stale':
      return `No current data: ${indicators(alert.indicators)}`;
    case 'data-recovered':
      return `Current again: ${indicators(alert.indicators)}`;
    case 'silence-summary':
      return `Silence “${esc(alert.silence.id)}” ended; ${alert.held.length} alert(s) held`;
  }
}

export function sourceSection(states: IndicatorState[], now: Date): string {
  const rows = states.map(({ indicator, newest, fresh, staleAt, source }) => {
    const state = !source.fetched
      ? badge('ok', 'posted by hand')
      : source.failing
        ? badge('bad', `failing (${source.consecutiveFailures} in a row)`)
        : source.lastSuccessAt
          ? badge('ok', 'fetching')
          : badge('warn', 'not fetched yet');
    const freshness = !newest
      ? badge('warn', 'no data')
      : fresh
        ? `${badge('ok', 'current')} until ${date(staleAt)}`
        : `${badge('warn', 'stale')} since ${date(staleAt)}`;
    const error = source.lastError
      ? `${date(source.lastErrorAt)}: <span class="wrap">${esc(source.lastError)}</span>`
      : '–';
    return `<tr data-indicator="${esc(indicator.id)}" data-failing="${source.failing}" data-fresh="${fresh}"><th scope="row">${esc(indicator.title)}</th><td><code>${esc(source.name)}</code> <span class="soft">(${esc(source.kind)})</span></td><td>${state}</td><td>${newest ? date(newest.period) : '–'}</td><td>${freshness}</td><td>${date(source.lastSuccessAt)}</td><td>${error}</td></tr>`;
  });
  const table = `<table><thead><tr><th>Indicator</th><th>Source</th><th>Source state</th><th>Newest period</th><th>Data</th><th>Last success</th><th>Last error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">Sources</h2>
<p class="soft">Checked ${date(now.toISOString())}. Data counts until its period is older than the indicator’s <code>staleAfter</code>.</p>
${scrollTable('Sources', table)}
</section>`;
}

export function pathSection({ scenario, latest }: ScenarioData): string {
  const rows = scenario.paths.map((p, i) => {
    const chip = el(
      'svg',
      { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' },
      el('rect', { width: 12, height: 12, rx: 2, ...STYLED.paint(pathRole(i), 'fill') }),
    );
    return `<tr data-path="${esc(p.id)}"><th scope="row">${chip} ${esc(p.title)} <span class="soft">(${esc(p.id)})</span></th><td class="num">${percent(p.prior)}</td><td class="num">${latest ? percent(latest.probabilities[p.id]) : '–'}</td><td>${esc(p.description)}</td></tr>`;
  });
  const table = `<table><thead><tr><th>Path</th><th class="num">Prior</th><th class="num">Now</th><th>What it means</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="paths" aria-labelledby="paths-h"><h2 id="paths-h">Paths</h2>
${scrollTable('Paths', table)}
</section>`;
}

export function dataSection(scenarioId: string): string {
  const id = encodeURIComponent(scenarioId);
  const links = [
    [`/v1/scenarios/${id}`, 'the scenario definition'],
    [`/v1/scenarios/${id}/assessment`, 'the latest assessment'],
    [`/v1/scenarios/${id}/assessments`, 'the assessment history (paged)'],
    [`/v1/scenarios/${id}/forecast`, 'the forecasts and the projection'],
    [`/v1/scenarios/${id}/alerts`, 'the alerts (paged)'],
    ['/v1/health', 'the freshness of every indicator'],
    ['/v1/openapi.json', 'the OpenAPI document of the API'],
  ];
  return `<section id="data" aria-labelledby="data-h"><h2 id="data-h">Data</h2>
<p>This page is drawn from the API’s JSON:</p>
<ul>${links.map(([href, label]) => `<li><a href="${esc(href as string)}"><code>${esc(href as string)}</code></a>: ${esc(label as string)}</li>`).join('')}</ul>
</section>`;
}
