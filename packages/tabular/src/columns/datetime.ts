// The date and date-time shapes a column may hold (API.md, Real tables): ISO-8601, YYYY/MM/DD[ hh:mm[:ss]],
// and dates with month names. Shapes are matched first; Date.parse is never trusted with arbitrary text.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const TIME = '(?:[ T,]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?)?';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASHED = new RegExp(`^(\\d{4})/(\\d{1,2})/(\\d{1,2})${TIME}$`);
/** Jun 12 1998, June 12, 1998 */
const MONTH_FIRST = new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME}$`, 'i');
/** 12 Jun 1998, 12-Jun-1998 */
const DAY_FIRST = new RegExp(`^(\\d{1,2})[\\s-]+${MONTH}[\\s,-]+(\\d{4})${TIME}$`, 'i');

/** Unix seconds (UTC, unless the text has an offset) of a date or date-time, or null when the text is not one. */
export function parseDatetime(text: string): number | null {
  const value = text.trim();
  if (value.length < 8 || value.length > 40) return null;
  let m = ISO.exec(value);
  if (m) return seconds(+m[1], +m[2], +m[3], m[4], m[5], m[6], m[7], m[8]);
  m = SLASHED.exec(value);
  if (m) return seconds(+m[1], +m[2], +m[3], m[4], m[5], m[6], m[7]);
  m = MONTH_FIRST.exec(value);
  if (m) return seconds(+m[3], monthOf(m[1]), +m[2], m[4], m[5], m[6], m[7]);
  m = DAY_FIRST.exec(value);
  if (m) return seconds(+m[3], monthOf(m[2]), +m[1], m[4], m[5], m[6], m[7]);
  return null;
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function seconds(year: number, month: number, day: number, hour?: string, minute?: string, second?: string, fraction?: string, offset?: string): number | null {
  const h = hour === undefined ? 0 : +hour;
  const min = minute === undefined ? 0 : +minute;
  const s = second === undefined ? 0 : +second;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || h > 23 || min > 59 || s > 59) return null;
  let t = Date.UTC(year, month - 1, day, h, min, s) / 1000;
  if (year < 100) t = new Date(Date.UTC(2000, month - 1, day, h, min, s)).setUTCFullYear(year) / 1000;
  if (fraction !== undefined) t += Number(`0.${fraction}`);
  if (offset !== undefined && offset.toUpperCase() !== 'Z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2)) : 0);
    t -= sign * minutes * 60;
  }
  return t;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
