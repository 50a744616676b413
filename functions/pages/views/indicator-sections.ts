// The indicator sections of a scenario page: one small chart per indicator (values, forecast fan, stale
// and missing periods, what it contributes now), and what would change the call.

import { divergingBar } from '../../../shared/charts/diverging-bar.ts';
import { fanChart } from '../../../shared/charts/fan.ts';
import { el } from '../../../shared/charts/svg.ts';
import { type Role, STYLED } from '../../../shared/charts/theme.ts';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import type { Need, TippingPoints } from '../../../shared/domain/tipping.ts';
import type { StoredAssessment } from '../../../shared/store/assessments.ts';
import { CHART_PERIODS, type ScenarioData } from '../data.ts';
import { badge, date, decibans, esc, figure, scrollTable } from '../layout.ts';
import { type IndicatorState, pathTitle } from '../model.ts';

/** The bars' scale: ±20 dB (odds of 100 : 1), the strongest a group of the seed may move them. */
const BAR_LIMIT = 20;

export function indicatorSection(
  data: ScenarioData,
  states: IndicatorState[],
  latest: StoredAssessment,
): string {
  const { scenario, forecast } = data;
  const leader = pathTitle(scenario, latest.leader);
  const cards = states.map((state, i) => {
    const { indicator, newest, contribution } = state;
    const observations = (data.indicators[i]?.observations ?? []).slice(-CHART_PERIODS);
    const record = forecast?.indicators.find((f) => f.indicatorId === indicator.id);
    const chart =
      observations.length === 0
        ? '<p class="soft">No data yet.</p>'
        : fanChart({
            title: `${indicator.title}: ${indicator.unit}, observed${record?.forecast ? ' and forecast' : ''}`,
            unit: indicator.unit,
            cadence: indicator.cadence,
            history: observations.map((o) => ({ period: o.period, value: o.value })),
            forecast:
              record?.status === 'forecast' && record.lastPeriod === newest?.period ? record.forecast : null,
            staleFrom: state.staleAt,
            end: latest.asOf,
            theme: STYLED,
          });
    const status = !newest
      ? badge('warn', 'no data')
      : state.fresh
        ? badge('ok', 'current')
        : badge('warn', `stale since ${state.staleAt?.slice(0, 10)}`);
    const db = contribution?.decibans[latest.leader] ?? 0;
    const counted = contribution && contribution.weight > 0 && Object.keys(contribution.decibans).length > 0;
    const now = counted
      ? `${divergingBar({ label: `${decibans(db)} for ${leader}`, decibans: db, limit: BAR_LIMIT, theme: STYLED })} <strong>${decibans(db)}</strong> for “${esc(leader)}”${contribution?.outcome ? ` <span class="soft">(${esc(contribution.outcome)})</span>` : ''}`
      : `<span class="soft">counts for nothing now (${esc(contribution?.status ?? 'no data')}${indicator.weight === 0 ? ', weight 0' : ''})</span>`;
    return `<article class="card" id="indicator-${esc(indicator.id)}" data-indicator="${esc(indicator.id)}" data-fresh="${state.fresh}" data-status="${esc(contribution?.status ?? 'missing')}">
<h3>${esc(indicator.title)}</h3>
<p>${status} <span class="soft">${esc(indicator.evidence.model)} model, ${esc(indicator.cadence)}</span></p>
<p>${newest ? `Newest: <strong>${figure(newest.value)}</strong> ${esc(indicator.unit)} for ${date(newest.period)}` : 'No value stored yet.'}</p>
<div class="chart">${chart}</div>
<p>Now: ${now}</p>
</article>`;
  });
  return `<section id="indicators" aria-labelledby="indicators-h"><h2 id="indicators-h">Indicators</h2>
<div class="legend" aria-hidden="true">${swatch('history', 'line')} observed ${swatch('point', 'line')} point forecast ${swatch('band80', 'box')} 80 % ${swatch('band95', 'box')} 95 % interval ${swatch('stale', 'box')} stale: no longer counts ${swatch('missing', 'tick')} period without data</div>
<p class="soft">Bars: the weight of evidence each indicator gives the leader, “${esc(leader)}”, in the latest assessment (right: for, left: against; +10 dB makes it ten times likelier).</p>
<div class="grid">${cards.join('\n')}</div>
</section>`;
}

function swatch(role: Role, shape: 'line' | 'box' | 'tick'): string {
  const mark =
    shape === 'box'
      ? el('rect', { width: 14, height: 10, y: 1, ...STYLED.paint(role, 'fill') })
      : shape === 'tick'
        ? el('line', { x1: 7, x2: 7, y1: 2, y2: 11, 'stroke-width': 2, ...STYLED.paint(role, 'stroke') })
        : el('line', { x1: 0, x2: 14, y1: 6, y2: 6, 'stroke-width': 2, ...STYLED.paint(role, 'stroke') });
  return el('svg', { width: 14, height: 12, viewBox: '0 0 14 12' }, mark);
}

export function tippingSection(scenario: Scenario, states: IndicatorState[], tipping: TippingPoints): string {
  const heading = '<h2 id="what-would-change-h">What would change the call</h2>';
  if (tipping.runnerUp === null) {
    return `<section id="what-would-change" aria-labelledby="what-would-change-h">${heading}<p>A single path has no challenger.</p></section>`;
  }
  const runnerUp = esc(pathTitle(scenario, tipping.runnerUp));
  const leader = esc(pathTitle(scenario, tipping.leader));
  const rows = tipping.indicators.map((point, i) => {
    const indicator = (states[i] as IndicatorState).indicator;
    const last = point.last === null ? '–' : `${figure(point.last)}`;
    return `<tr data-indicator="${esc(indicator.id)}" data-need="${point.need.kind}"><th scope="row">${esc(indicator.title)}</th><td>${needText(point.need, indicator.unit)}</td><td>${point.period ? date(point.period) : '–'}</td><td class="num">${last}</td></tr>`;
  });
  const table = `<table><thead><tr><th>Indicator</th><th>Its next value would have to be</th><th>For the period</th><th class="num">Last value</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="what-would-change" aria-labelledby="what-would-change-h">${heading}
<p>For each indicator on its own: the value its next period would need for “${runnerUp}” to lead “${leader}” in the next assessment (${date(tipping.next)}), the other indicators bringing no new data. Worked out with the real update: today’s belief carried one step forward, then the new value through the indicator’s evidence model, weight and group cap.</p>
${scrollTable('What would change the call', table)}
</section>`;
}

function needText(need: Need, unit: string): string {
  switch (need.kind) {
    case 'range': {
      const span =
        need.from !== undefined && need.below !== undefined
          ? `between ${figure(need.from)} and ${figure(need.below)}`
          : need.from !== undefined
            ? `${figure(need.from)} or more`
            : `below ${figure(need.below as number)}`;
      const move = `${need.move >= 0 ? '+' : '−'}${figure(Math.abs(need.move))}`;
      return `<strong>${span}</strong> ${esc(unit)} <span class="soft">(${move} from the last)</span>`;
    }
    case 'already':
      return '<strong>any value near the last</strong>: the same value again would already do it';
    case 'event': {
      const words = need.sizes.map((s) =>
        s === 'none'
          ? 'no event'
          : s === 'small'
            ? `an event under ${figure(need.threshold)}`
            : `an event of ${figure(need.threshold)} or more`,
      );
      return `<strong>${esc(words.join(' or '))}</strong> ${esc(unit)}`;
    }
    case 'none':
      return need.reason === 'no-weight'
        ? 'no value would: it counts for nothing (weight 0)'
        : need.reason === 'no-data'
          ? 'no value would: it has no data yet'
          : '<strong>no value would</strong> on its own';
  }
}
