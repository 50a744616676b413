// GET /scenarios/{id}: one scenario's page: the headline, the probability timeline, then the sections
// (indicators, what would change the call, alerts, sources, paths, the JSON behind the page).
import { STYLED } from '../../../shared/charts/theme.ts';
import { timelineSvg } from '../../../shared/charts/timeline.ts';
import { tippingPoints } from '../../../shared/domain/tipping.ts';
import { isForecastAlert, isPathAlert } from '../../../shared/store/alerts.ts';
import type { StoredAssessment } from '../../../shared/store/assessments.ts';
import type { ScenarioData } from '../data.ts';
import { date, esc, page, percent, scrollTable } from '../layout.ts';
import { indicatorState, lastChange, pathTitle } from '../model.ts';
import { indicatorSection, tippingSection } from './indicator-sections.ts';
import { alertSection, dataSection, pathSection, sourceSection } from './log-sections.ts';

export function scenarioPage(data: ScenarioData, now: Date): string {
  const { scenario, latest } = data;
  const title = (id: string | null | undefined) => esc(pathTitle(scenario, id));
  const intro = `<h1>${esc(scenario.title)}</h1>
<p class="lede">${esc(scenario.description)}</p>`;
  if (!latest) {
    const body = `${intro}<p id="headline" class="headline">Not assessed yet: the page fills in after the first evaluation.</p>
${pathSection(data)}${dataSection(scenario.id)}`;
    return page({ title: `${scenario.title} · Signpost`, crumb: scenario.title, body });
  }
  const states = data.indicators.map((d) => indicatorState(d, latest, now));
  const observations = data.indicators.flatMap((d) => d.observations);
  const tipping = tippingPoints(scenario, observations, latest.asOf);
  const body = `${intro}
${headline(data, latest)}
<dl class="facts">
<div><dt>Leader</dt><dd data-leader="${esc(latest.leader)}">${title(latest.leader)} ${percent(latest.probabilities[latest.leader])}</dd></div>
<div><dt>Confirmed path</dt><dd data-path="${esc(latest.state.path ?? '')}">${title(latest.state.path)}</dd></div>
<div><dt>Lead over the runner-up</dt><dd>${Math.round(latest.margin * 100)} points</dd></div>
<div><dt>Data as of</dt><dd>${date(latest.asOf)}</dd></div>
<div><dt>Evaluated</dt><dd>${date(latest.evaluatedAt)}</dd></div>
<div><dt>Stale indicators</dt><dd>${latest.stale.length} of ${scenario.indicators.length}</dd></div>
</dl>
<nav class="toc" aria-label="On this page"><ul>
<li><a href="#timeline">Timeline</a></li><li><a href="#indicators">Indicators</a></li>
<li><a href="#what-would-change">What would change the call</a></li><li><a href="#alerts">Alerts</a></li>
<li><a href="#sources">Sources</a></li><li><a href="#paths">Paths</a></li><li><a href="#data">Data</a></li>
</ul></nav>
${timelineSection(data, latest)}
${indicatorSection(data, states, latest)}
${tippingSection(scenario, states, tipping)}
${alertSection(data)}
${sourceSection(states, now)}
${pathSection(data)}
${dataSection(scenario.id)}`;
  return page({ title: `${scenario.title} · Signpost`, crumb: scenario.title, body });
}

/** One sentence: where the scenario is, since when, and what last moved. */
function headline({ scenario, history }: ScenarioData, latest: StoredAssessment): string {
  const title = (id: string | null | undefined) => `“${esc(pathTitle(scenario, id))}”`;
  const { leader, state } = latest;
  const share = percent(latest.probabilities[leader]);
  const since = state.since ? `, confirmed since ${date(state.since)}` : '';
  let where: string;
  if (state.path === leader) where = `Now on ${title(leader)} (${share})${since}`;
  else if (state.path === null) where = `${title(leader)} leads (${share}); no path is confirmed yet`;
  else {
    const pending = state.pending
      ? ` (${state.pending.count} of ${state.pending.of} updates for it so far)`
      : '';
    where = `${title(leader)} leads (${share}), but ${title(state.path)} stays the confirmed path${since}, until the data confirms a shift${pending}`;
  }
  const change = lastChange(history);
  const moved = change
    ? `; last change ${date(change.at)}: ${title(leader)} ${percent(change.before[leader])} → ${percent(change.after[leader])}`
    : '';
  return `<p id="headline" class="headline" data-leader="${esc(leader)}">${where}${moved}.</p>`;
}

function timelineSection(data: ScenarioData, latest: StoredAssessment): string {
  const { scenario, history, alerts, forecast } = data;
  const points = history.map((a) => ({ at: a.asOf, probabilities: a.probabilities, path: a.state.path }));
  // The projection belongs to the latest assessment only if it was made with it.
  const projection =
    forecast?.projection && forecast.asOf === latest.asOf
      ? forecast.projection.steps.map((s) => ({ at: s.asOf, probabilities: s.probabilities }))
      : [];
  const svg =
    points.length === 0
      ? ''
      : timelineSvg({
          title: `${scenario.title}: probability of each path`,
          subtitle: `${history.length} assessments, ${history[0]?.asOf.slice(0, 10)} to ${latest.asOf.slice(0, 10)}${projection.length > 0 ? `, projected ${projection.length} steps ahead` : ''}`,
          paths: scenario.paths.map((p) => ({ id: p.id, title: p.title })),
          points,
          markers: alerts.flatMap((a) =>
            isPathAlert(a) ? [{ at: a.at, kind: a.kind, from: a.from, to: a.to }] : [],
          ),
          warnings: alerts.flatMap((a) => (isForecastAlert(a) ? [{ at: a.at, to: a.to }] : [])),
          projection,
          theme: STYLED,
        });
  const rows = [...history]
    .reverse()
    .map(
      (a) =>
        `<tr><td>${date(a.asOf)}</td>${scenario.paths.map((p) => `<td class="num">${percent(a.probabilities[p.id])}</td>`).join('')}<td>${esc(pathTitle(scenario, a.state.path))}</td></tr>`,
    );
  const table = `<table><caption class="soft">Newest first</caption><thead><tr><th>As of</th>${scenario.paths.map((p) => `<th class="num">${esc(p.title)}</th>`).join('')}<th>Confirmed path</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="timeline" aria-labelledby="timeline-h"><h2 id="timeline-h">Probability over time</h2>
<p class="soft">Each line is a path’s probability at each assessment; the band under the axis is the confirmed path; dashed markers are confirmed shifts, dotted ones reversals; triangles are forecast warnings; the shaded stretch at the right is the projection.</p>
<div class="chart">${svg}</div>
<details><summary>The same as a table</summary>${scrollTable('Assessment history', table)}</details>
</section>`;
}
