// Renders an alert for subscribers: an email (subject + body), an SMS text, and a JSON default.
import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import type { Contribution } from '../domain/model.ts';
import { dayOf, monthOf } from '../domain/period.ts';
import { scenarioPagePath } from '../runtime/links.ts';
import {
  type AlertKind,
  type AlertRecord,
  type DataAlert,
  type ForecastAlert,
  type HeldAlert,
  isDataAlert,
  isForecastAlert,
  isPathAlert,
  type PathAlert,
  type SilenceSummaryAlert,
} from '../store/alerts.ts';

export interface RenderedAlert {
  subject: string;
  email: string;
  sms: string;
  /** For machine subscribers (SQS, Lambda, HTTPS): the alert and both texts, as JSON. */
  default: string;
}

/** How urgent each kind is: subscribers filter on it (e.g. SMS only for `high`). */
export const SEVERITY: Record<AlertKind, 'high' | 'medium' | 'low' | 'info'> = {
  'path-shift': 'high',
  reverted: 'medium',
  'data-stale': 'low',
  'data-recovered': 'info',
  // A projection, not a confirmed change: worth reading soon, not worth waking anyone for.
  'forecast-warning': 'medium',
  'silence-summary': 'info',
};

const SUBJECT_MAX = 100;
const SMS_MAX = 160;

/** What the texts of every kind draw on. */
interface Context {
  scenario: Scenario;
  /** The latest assessment as JSON. */
  url: string;
  /** The scenario's page. */
  page: string;
  date: string;
  title: (pathId: string | null) => string;
  indicator: (id: string) => Indicator | undefined;
}

/**
 * The texts of an alert; they link to the scenario's page at `publicUrl` (where the pages are served:
 * the API itself unless a stage names another address) and to its JSON at `apiBaseUrl`.
 */
export function renderAlert(
  alert: AlertRecord,
  scenario: Scenario,
  apiBaseUrl: string,
  publicUrl = apiBaseUrl,
): RenderedAlert {
  const context: Context = {
    scenario,
    url: `${apiBaseUrl.replace(/\/$/, '')}/v1/scenarios/${scenario.id}/assessment`,
    page: `${publicUrl.replace(/\/$/, '')}${scenarioPagePath(scenario.id)}`,
    date: dayOf(alert.at),
    title: (id) => scenario.paths.find((p) => p.id === id)?.title ?? id ?? 'none yet',
    indicator: (id) => scenario.indicators.find((i) => i.id === id),
  };
  const text = isPathAlert(alert)
    ? pathTexts(alert, context)
    : isDataAlert(alert)
      ? dataTexts(alert, context)
      : isForecastAlert(alert)
        ? forecastTexts(alert, context)
        : summaryTexts(alert, context);
  // SNS subjects must be printable ASCII on one line; fold SMS to GSM-7 before cutting it to length,
  // since folding can change the length (a Hangul syllable becomes several marks).
  const subject = clip(toAscii(`[Signpost] ${scenario.title}: ${text.subject}`), SUBJECT_MAX);
  const sms = withLink(clip(toGsm7(`Signpost ${scenario.id}: ${text.sms}`), SMS_MAX), context.page);
  const email = [
    scenario.title,
    '',
    ...text.body,
    ...staleCaveat(alert, context),
    '',
    `The scenario's page: ${context.page}`,
    `Latest assessment (JSON): ${context.url}`,
    `Alert ${scenario.id} #${alert.sequence} (${alert.kind}, severity ${SEVERITY[alert.kind]}).`,
  ].join('\n');
  const summary = {
    scenarioId: scenario.id,
    kind: alert.kind,
    sequence: alert.sequence,
    ...(isPathAlert(alert) ? { from: alert.from, to: alert.to } : {}),
    ...(isDataAlert(alert) ? { indicators: alert.indicators } : {}),
    ...(isForecastAlert(alert)
      ? {
          from: alert.from,
          to: alert.to,
          probability: alert.probability,
          threshold: alert.threshold,
          horizon: alert.horizon,
          until: alert.until,
        }
      : {}),
    ...(alert.kind === 'silence-summary' ? { silence: alert.silence, held: alert.held } : {}),
    at: alert.at,
  };
  return {
    subject,
    email,
    sms,
    default: JSON.stringify({
      ...summary,
      probabilities: alert.probabilities,
      subject,
      email,
      sms,
      url: context.url,
      page: context.page,
    }),
  };
}

interface Texts {
  subject: string;
  sms: string;
  body: string[];
}

function pathTexts(alert: PathAlert, c: Context): Texts {
  const reverted = alert.kind === 'reverted';
  const after = alert.probabilitiesAfter;
  const headline = reverted
    ? `The leading path has reverted from "${c.title(alert.from)}" to "${c.title(alert.to)}", the path it left at the previous shift`
    : `The leading path has shifted from "${c.title(alert.from)}" to "${c.title(alert.to)}"`;
  const movers = alert.contributions
    .filter((x) => x.status === 'used' || x.status === 'kept' || x.status === 'absent')
    .sort((a, b) => Math.abs(b.decibans[alert.to] ?? 0) - Math.abs(a.decibans[alert.to] ?? 0))
    .slice(0, 3);
  return {
    subject: `${reverted ? 'back' : 'now'} on "${c.title(alert.to)}" (${pct(after[alert.to])})`,
    sms: `${reverted ? 'reverted' : 'shift'} ${alert.from}->${alert.to} (${pct(after[alert.to])}), as of ${c.date}. ${c.title(alert.to)}`,
    body: [
      `${headline} (confirmed with data as of ${c.date}).`,
      '',
      'Probabilities (before -> after):',
      ...c.scenario.paths.map(
        (p) => `  ${p.title}: ${pct(alert.probabilitiesBefore?.[p.id])} -> ${pct(after[p.id])}`,
      ),
      '',
      `What moved it (weight of evidence for "${c.title(alert.to)}", in decibans; +10 dB = ten times likelier):`,
      ...movers.flatMap((x) => explain(x, alert.to, c)),
      '',
      `What "${c.title(alert.to)}" means: ${c.scenario.paths.find((p) => p.id === alert.to)?.description ?? ''}`,
    ],
  };
}

function dataTexts(alert: DataAlert, c: Context): Texts {
  const stale = alert.kind === 'data-stale';
  const names = alert.indicators.map((id) => c.indicator(id)?.title ?? id);
  const lines = alert.indicators.map((id) => {
    const last = alert.contributions.find((x) => x.indicatorId === id);
    const lastData = last?.period ? `last data for ${monthOf(last.period)}` : 'no data yet';
    return stale
      ? `  - ${c.indicator(id)?.title ?? id} (${lastData}): ${missingMeaning(c.indicator(id))}`
      : `  - ${c.indicator(id)?.title ?? id}`;
  });
  const count = `${alert.indicators.length} indicator${alert.indicators.length === 1 ? '' : 's'}`;
  const path = alert.path ? `${alert.path} ${pct(alert.probabilities[alert.path])}` : 'no path yet';
  return {
    subject: stale ? `no current data for ${count}` : `data current again for ${count}`,
    sms: `${stale ? 'no current data for' : 'data back for'} ${alert.indicators.join(', ')} (as of ${c.date}). Path ${path}.`,
    body: [
      stale
        ? `As of ${c.date}, these indicators have no current data (their newest period is older than their staleAfter):`
        : `As of ${c.date}, these indicators have current data again and count in full: ${names.join(', ')}.`,
      ...(stale ? lines : []),
      '',
      `The confirmed path is "${c.title(alert.path)}"; probabilities now:`,
      ...c.scenario.paths.map((p) => `  ${p.title}: ${pct(alert.probabilities[p.id])}`),
      ...(stale ? ['', 'Check the sources (GET /v1/health) if the data should have arrived.'] : []),
    ],
  };
}

function forecastTexts(alert: ForecastAlert, c: Context): Texts {
  const to = c.title(alert.to);
  const by = dayOf(alert.until);
  const steps = `${alert.horizon} period${alert.horizon === 1 ? '' : 's'}`;
  const from = alert.from ? `from "${c.title(alert.from)}" ` : '';
  const drivers = alert.drivers.flatMap((d) => {
    const indicator = c.indicator(d.indicatorId);
    const unit = indicator?.unit ?? '';
    const last = d.last === undefined ? '' : `last ${d.last} ${unit}`.trim();
    const point = d.point === undefined ? '' : `forecast ${Number(d.point.toPrecision(4))} at the horizon`;
    const figures = [last, point].filter(Boolean).join(', ');
    return [
      `  ${indicator?.title ?? d.indicatorId}: ${figures ? `${figures}: ` : ''}${signed(d.today)} dB today -> ${signed(d.decibans)} dB projected`,
    ];
  });
  const forecastUrl = c.url.replace(/\/assessment$/, '/forecast');
  return {
    subject: `"${to}" likely by ${by} (${pct(alert.probability)})`,
    sms: `forecast ${pct(alert.probability)} chance of ${alert.from ?? 'a'}->${alert.to} by ${by}${alert.drivers.length ? `, driven by ${alert.drivers.map((d) => d.indicatorId).join(', ')}` : ''}. Not yet confirmed.`,
    body: [
      `The projection gives a ${pct(alert.probability)} probability that the confirmed path changes ${from}to "${to}" within ${steps} (by ${by}), with data as of ${c.date}; the warning threshold is ${pct(alert.threshold)}.`,
      'This is a forecast, not a confirmed change: a path-shift alert follows only if the data confirms it.',
      '',
      'Probabilities (now -> projected at the horizon):',
      ...c.scenario.paths.map(
        (p) => `  ${p.title}: ${pct(alert.probabilities[p.id])} -> ${pct(alert.projected[p.id])}`,
      ),
      '',
      `What drives it (forecast indicators; weight of evidence for "${to}", in decibans):`,
      ...(drivers.length
        ? drivers
        : ['  no single indicator: the paths are close and the forecasts uncertain']),
      '',
      `How: simulated futures drawn from each indicator's forecast, each assessed and run through the scenario's alerting rules. Details: ${forecastUrl}`,
      '',
      `What "${to}" means: ${c.scenario.paths.find((p) => p.id === alert.to)?.description ?? ''}`,
    ],
  };
}

function summaryTexts(alert: SilenceSummaryAlert, c: Context): Texts {
  const { silence, held } = alert;
  const shifts = held.filter((h) => h.kind === 'path-shift' || h.kind === 'reverted').length;
  const describeHeld = (h: HeldAlert) =>
    h.kind === 'forecast-warning'
      ? `  #${h.sequence} ${dayOf(h.at)} ${h.kind}: towards "${c.title(h.to ?? null)}"`
      : h.from && h.to
        ? `  #${h.sequence} ${dayOf(h.at)} ${h.kind}: "${c.title(h.from)}" -> "${c.title(h.to)}"`
        : `  #${h.sequence} ${dayOf(h.at)} ${h.kind}: ${(h.indicators ?? []).map((id) => c.indicator(id)?.title ?? id).join(', ')}`;
  const path = alert.path ? `${alert.path} ${pct(alert.probabilities[alert.path])}` : 'no path yet';
  return {
    subject: `silence ended, ${held.length} alert${held.length === 1 ? '' : 's'} held`,
    sms: `silence "${silence.id}" ended; ${held.length} alert(s) held, ${shifts} path change(s). Path ${path}.`,
    body: [
      `The silence "${silence.id}" (${silence.reason}) ran from ${silence.start} to ${silence.end}.`,
      `These alerts were raised during it and not sent:`,
      ...held.map(describeHeld),
      '',
      `The confirmed path is "${c.title(alert.path)}"; probabilities now:`,
      ...c.scenario.paths.map((p) => `  ${p.title}: ${pct(alert.probabilities[p.id])}`),
    ],
  };
}

/** What no current data does to an indicator, by its `missing` policy. */
function missingMeaning(indicator: Indicator | undefined): string {
  const policy = indicator?.missing ?? 'ignore';
  if (policy === 'ignore') return 'it no longer counts';
  if (policy === 'keepLast') return 'its last data keeps counting, with less weight as it ages';
  return 'its absence now counts as evidence';
}

function explain(x: Contribution, path: string, c: Context): string[] {
  const indicator = c.indicator(x.indicatorId);
  const when = x.period ? ` for ${monthOf(x.period)}` : '';
  const outcome = x.outcome ? `; ${x.outcome}` : '';
  return [
    `  ${indicator?.title ?? x.indicatorId}: ${figure(x, indicator)}${when}${outcome}: ${signed(x.decibans[path] ?? 0)} dB`,
    ...(x.source ? [`    source: ${x.source}`] : []),
  ];
}

/** The figure a model judged, in words: a value with its unit, or a trend's slope per period. */
function figure(x: Contribution, indicator: Indicator | undefined): string {
  if (x.value === undefined) return 'no current data';
  const evidence = indicator?.evidence;
  if (evidence?.model === 'trend') {
    const per = indicator?.cadence === 'P1D' ? 'day' : indicator?.cadence === 'P1W' ? 'week' : 'period';
    return evidence.scale === 'relative'
      ? `trend ${signed(x.value * 100)} % a ${per}`
      : `trend ${signed(x.value)} ${indicator?.unit ?? ''} a ${per}`.trim();
  }
  return `${x.value} ${indicator?.unit ?? ''}`.trim();
}

function staleCaveat(alert: AlertRecord, c: Context): string[] {
  if (alert.kind === 'data-stale' || alert.stale.length === 0) return [];
  const names = alert.stale.map((id) => c.indicator(id)?.title ?? id);
  return [
    '',
    `Caveat: no current data for ${names.join(', ')}; ${names.length === 1 ? 'it' : 'they'} did not count in full.`,
  ];
}

function pct(p: number | undefined): string {
  return p === undefined ? 'n/a' : `${Math.round(p * 100)}%`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

/** The SMS with the page's link after it, when both fit one 160-character GSM-7 part; else the SMS alone. */
function withLink(sms: string, link: string): string {
  const linked = `${sms} ${link}`;
  return linked.length <= SMS_MAX && toGsm7(link) === link ? linked : sms;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** Folds typographic punctuation and accents to ASCII; anything else non-printable becomes `?`. */
export function toAscii(text: string): string {
  return foldPunctuation(text).replace(/[^ -~]/g, '?');
}

function foldPunctuation(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014\u2011]/g, '-')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

// The GSM 03.38 basic character set; anything else makes a carrier switch the SMS to UCS-2 (70 chars).
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Replaces characters outside GSM-7 (dashes, quotes, accents, emoji) so the SMS stays one 160-char part. */
export function toGsm7(text: string): string {
  return [...foldPunctuation(text)].map((ch) => (GSM7.includes(ch) ? ch : '?')).join('');
}
