// GET /: a page of scenarios as cards (leader and probability, confirmed path and since when, last change,
// stale data, a sparkline), the most recent change first; pages follow one another in scenario id order.
import { sparkline } from '../../../shared/charts/sparkline.ts';
import { STYLED } from '../../../shared/charts/theme.ts';
import type { ScenarioSummary } from '../data.ts';
import { badge, date, esc, page, percent } from '../layout.ts';
import { lastChange, pathTitle } from '../model.ts';
import { scenarioPagePath } from '../routes.ts';

/** Where the page sits: whether it is the first, and the scenario id the next one starts after. */
export interface IndexPosition {
  first: boolean;
  next?: string | undefined;
}

export function indexPage(summaries: ScenarioSummary[], position: IndexPosition = { first: true }): string {
  const entries = summaries.map((summary) => ({ summary, change: lastChange(summary.recent) }));
  // Most recent change first; a scenario never assessed goes last; ties by title.
  const when = (e: (typeof entries)[number]) => e.change?.at ?? e.summary.latest?.asOf ?? '';
  entries.sort((a, b) =>
    when(a) < when(b)
      ? 1
      : when(a) > when(b)
        ? -1
        : a.summary.scenario.title.localeCompare(b.summary.scenario.title),
  );
  const cards = entries.map(({ summary, change }) => card(summary, change));
  const paged = !position.first || position.next !== undefined;
  const links = [
    position.first ? '' : '<a href="/" rel="first">First page</a>',
    position.next === undefined
      ? ''
      : `<a href="/?after=${encodeURIComponent(position.next)}" rel="next">Next page</a>`,
  ].filter(Boolean);
  const body = `<h1>Scenarios</h1>
<p class="lede">Each scenario weighs competing paths against its key indicators. The leader is the likeliest path now; the confirmed path changes only once the data confirms a shift.</p>
${paged ? '<p class="soft">The scenarios in order of their id, a page at a time; on each page the most recent change first.</p>' : ''}
${cards.length > 0 ? `<ul class="cards">${cards.join('\n')}</ul>` : `<p>${position.first ? 'No scenario is loaded.' : 'No scenario follows.'}</p>`}
${links.length > 0 ? `<nav class="toc" aria-label="Pages"><ul>${links.map((l) => `<li>${l}</li>`).join('')}</ul></nav>` : ''}`;
  return page({ title: 'Signpost: scenarios', body });
}

function card(summary: ScenarioSummary, change: ReturnType<typeof lastChange>): string {
  const { scenario, latest, recent } = summary;
  const link = `<h2 class="card-title"><a href="${esc(scenarioPagePath(scenario.id))}">${esc(scenario.title)}</a></h2>`;
  if (!latest) {
    return `<li class="card" data-scenario="${esc(scenario.id)}">${link}<p class="soft">Not assessed yet.</p></li>`;
  }
  const leader = latest.leader;
  // Stale as the latest assessment saw them: the daily evaluation keeps that current.
  const stale = scenario.indicators.filter((i) => latest.stale.includes(i.id));
  const staleText =
    stale.length === 0
      ? badge('ok', 'all current')
      : `${badge('warn', `${stale.length} stale`)} ${esc(stale.map((i) => i.title).join(', '))}`;
  const changed = change
    ? `${date(change.at)}: ${esc(pathTitle(scenario, leader))} ${percent(change.before[leader])} → ${percent(change.after[leader])}`
    : `none in the last ${recent.length} assessments`;
  const spark = sparkline({
    label: `Probabilities of ${scenario.paths.map((p) => p.title).join(' and ')} over the last ${recent.length} assessments`,
    paths: scenario.paths.map((p) => p.id),
    points: recent.map((a) => a.probabilities),
    theme: STYLED,
  });
  return `<li class="card" data-scenario="${esc(scenario.id)}" data-leader="${esc(leader)}">${link}
<dl>
<dt>Leader</dt><dd><strong>${esc(pathTitle(scenario, leader))}</strong> ${percent(latest.probabilities[leader])}</dd>
<dt>Confirmed</dt><dd>${esc(pathTitle(scenario, latest.state.path))}${latest.state.since ? `, since ${date(latest.state.since)}` : ''}</dd>
<dt>Last change</dt><dd>${changed}</dd>
<dt>Data</dt><dd>${staleText}</dd>
<dt>Trend</dt><dd>${spark}</dd>
</dl>
<p class="soft">As of ${date(latest.asOf)}</p></li>`;
}
