// Renders an alert for subscribers: an email (subject + body), an SMS text, and a JSON default.
import type { Scenario } from '../config/scenario-schema.ts';
import type { AlertRecord } from '../store/alerts.ts';

export interface RenderedAlert {
  subject: string;
  email: string;
  sms: string;
  /** For machine subscribers (SQS, Lambda, HTTPS): the alert and both texts, as JSON. */
  default: string;
}

const SUBJECT_MAX = 100;
const SMS_MAX = 160;

export function renderAlert(alert: AlertRecord, scenario: Scenario, apiBaseUrl: string): RenderedAlert {
  const title = (id: string) => scenario.paths.find((p) => p.id === id)?.title ?? id;
  const pct = (p: number | undefined) => (p === undefined ? 'n/a' : `${Math.round(p * 100)}%`);
  const after = alert.probabilitiesAfter;
  const before = alert.probabilitiesBefore;
  const url = `${apiBaseUrl.replace(/\/$/, '')}/v1/scenarios/${scenario.id}/assessment`;
  const asOfDate = alert.at.slice(0, 10);
  const reverted = alert.kind === 'reverted';

  // SNS subjects must be printable ASCII on one line.
  const subject = clip(
    toAscii(
      `[Signpost] ${scenario.title}: ${reverted ? 'back' : 'now'} on "${title(alert.to)}" (${pct(after[alert.to])})`,
    ),
    SUBJECT_MAX,
  );

  const top = alert.contributions
    .filter((c) => c.status === 'used')
    .sort((a, b) => Math.abs(b.decibans[alert.to] ?? 0) - Math.abs(a.decibans[alert.to] ?? 0))
    .slice(0, 3);
  const indicatorTitle = (id: string) => scenario.indicators.find((i) => i.id === id)?.title ?? id;
  const unit = (id: string) => scenario.indicators.find((i) => i.id === id)?.unit ?? '';
  const lines = [
    `${scenario.title}`,
    '',
    reverted
      ? `The leading path has reverted from "${title(alert.from)}" to "${title(alert.to)}", the path it left at the previous shift (confirmed with data as of ${asOfDate}).`
      : `The leading path has shifted from "${title(alert.from)}" to "${title(alert.to)}" (confirmed with data as of ${asOfDate}).`,
    '',
    'Probabilities (before -> after):',
    ...scenario.paths.map((p) => `  ${p.title}: ${pct(before?.[p.id])} -> ${pct(after[p.id])}`),
    '',
    'What moved it (weight of evidence for the new path, in decibans):',
    ...top.map(
      (c) =>
        `  ${indicatorTitle(c.indicatorId)}: ${c.value} ${unit(c.indicatorId)} for ${c.period?.slice(0, 7)}, ` +
        `${signed(c.decibans[alert.to] ?? 0)} dB (source: ${c.source})`,
    ),
    ...(alert.stale.length > 0
      ? ['', `Caveat: no current data for ${alert.stale.map(indicatorTitle).join(', ')}; they did not count.`]
      : []),
    '',
    `What "${title(alert.to)}" means: ${scenario.paths.find((p) => p.id === alert.to)?.description ?? ''}`,
    '',
    `Latest assessment: ${url}`,
    `Alert ${scenario.id} #${alert.sequence}.`,
  ];

  // Fold to GSM-7 before cutting: folding can change the length (a Hangul syllable becomes several marks).
  const sms = clip(
    toGsm7(
      `Signpost ${scenario.id}: ${reverted ? 'reverted' : 'shift'} ${alert.from}->${alert.to} (${pct(after[alert.to])}), as of ${asOfDate}. ${title(alert.to)}`,
    ),
    SMS_MAX,
  );

  const email = lines.join('\n');
  const json = {
    scenarioId: scenario.id,
    kind: alert.kind,
    sequence: alert.sequence,
    from: alert.from,
    to: alert.to,
  };
  return {
    subject,
    email,
    sms,
    default: JSON.stringify({ ...json, at: alert.at, probabilities: after, subject, email, sms, url }),
  };
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

// The GSM 03.38 basic character set; anything else makes a carrier switch the SMS to UCS-2 (70 chars).
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

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

/** Replaces characters outside GSM-7 (dashes, quotes, accents, emoji) so the SMS stays one 160-char part. */
export function toGsm7(text: string): string {
  return [...foldPunctuation(text)].map((ch) => (GSM7.includes(ch) ? ch : '?')).join('');
}
