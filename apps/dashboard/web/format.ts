/** 4 significant digits, no trailing zeros; '–' when absent. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  const text = value.toPrecision(4);
  return text.includes('.') && !text.includes('e') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;
}

export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}

/** 3725 → "1h 2m 5s", 4.2 → "4.2s" */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** Seconds between two ISO times (now when `to` is null). */
export function between(from: string | null, to: string | null): number | null {
  if (from === null) return null;
  return ((to === null ? Date.now() : Date.parse(to)) - Date.parse(from)) / 1000;
}

export function time(iso: string | null): string {
  if (iso === null) return '–';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "3 min ago" */
export function ago(iso: string): string {
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** A datetime column's Unix seconds as a UTC date, with the time unless `dateOnly` or it is midnight. */
export function date(unixSeconds: number | null | undefined, dateOnly = false): string {
  if (unixSeconds === null || unixSeconds === undefined || !Number.isFinite(unixSeconds)) return '–';
  const iso = new Date(unixSeconds * 1000).toISOString();
  return dateOnly || iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A spread of seconds in days (the std of a datetime column): "421.8 days". */
export function days(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  return `${num(seconds / 86_400)} days`;
}
