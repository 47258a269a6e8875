// Customer phone numbers — libphonenumber-js with full metadata ("max": needed for
// getType() to tell PREMIUM_RATE apart). Plain TypeScript, no framework imports.

import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberWithError,
  type CountryCode,
  type PhoneNumber,
} from "libphonenumber-js/max";
import { CallbackError, EXC } from "./errors";

export interface NumberRules {
  fixPlus: boolean;
  disallowImpossible: boolean;
  disallowPremium: boolean;
  defaultCountry: string;
}

const DEFAULT_COUNTRY = "US";

// Country calling codes: every region's code plus the ITU non-geographic ("universal") ones. E.164 calling
// codes are prefix-free, so at most one of the 1-, 2- and 3-digit prefixes of a number can match.
const NON_GEOGRAPHIC_CODES = ["800", "808", "870", "878", "881", "882", "883", "888", "979"];
const CALLING_CODES: ReadonlySet<string> = new Set([
  ...getCountries().map((c) => String(getCountryCallingCode(c))),
  ...NON_GEOGRAPHIC_CODES,
]);

const SEPARATORS_RE = /[\s\-.()]/g;

function startsWithCallingCode(digits: string): boolean {
  for (let len = 1; len <= 3; len++) if (CALLING_CODES.has(digits.slice(0, len))) return true;
  return false;
}

/**
 * `+` fixing: a number of 11+ digits (ignoring spaces, dashes, dots, parentheses) that starts with a valid
 * country calling code and lacks `+` gets one ("+" + the trimmed number). Otherwise returned unchanged
 * (trimmed). National numbers with a trunk prefix ("0…") are never touched: no calling code starts with 0.
 */
export function fixPlus(number: string): string {
  const trimmed = number.trim();
  if (trimmed.startsWith("+")) return trimmed;
  const digits = trimmed.replace(SEPARATORS_RE, "");
  if (digits.length < 11 || !/^\d+$/.test(digits)) return trimmed;
  return startsWithCallingCode(digits) ? "+" + trimmed : trimmed;
}

/** ISO 3166 alpha-2 code known to libphonenumber (case-insensitive: "us" is accepted and means "US"). */
export function isCountryCode(cc: string): boolean {
  return typeof cc === "string" && /^[A-Za-z]{2}$/.test(cc) && isSupportedCountry(cc.toUpperCase());
}

/** "" / unknown → undefined; otherwise the upper-cased libphonenumber country. */
function toCountry(cc: string | undefined): CountryCode | undefined {
  if (!cc) return undefined;
  const up = cc.trim().toUpperCase();
  return isSupportedCountry(up) ? up : undefined;
}

/** Parse strictly (the whole input must be a number, no surrounding text); undefined when impossible. */
function parse(number: string, country: CountryCode | undefined): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(number, { defaultCountry: country, extract: false });
  } catch {
    return undefined;
  }
}

function numberError(message: string): CallbackError {
  return new CallbackError(40010, message, { exception: EXC.number });
}

/** `+` fixing as the rules say, except where it would break a valid national number of the default country. */
function normalize(number: string, rules: NumberRules): { text: string; parsed: PhoneNumber | undefined } {
  const country = toCountry(rules.defaultCountry) ?? toCountry(DEFAULT_COUNTRY);
  let text = number.trim();
  if (rules.fixPlus) {
    const fixed = fixPlus(text);
    if (fixed !== text) {
      const fixedValid = parse(fixed, country)?.isValid() ?? false;
      const nationalValid = parse(text, country)?.isValid() ?? false;
      if (fixedValid || !nationalValid) text = fixed;
    }
  }
  return { text, parsed: parse(text, country) };
}

// One customer, one identity: "+1 617 555 0123", "(617) 555-0123" and "+16175550123" must meet in duplicate
// checks, limits and lookups. A number with no E.164 form keeps its characters minus the separators.
function identity(n: { text: string; parsed: PhoneNumber | undefined }): string {
  return n.parsed?.isPossible() ? n.parsed.number : n.text.replace(SEPARATORS_RE, "") || n.text;
}

/** The identity under which a number is stored and compared (see checkCustomerNumber), without rejecting it. */
export function numberIdentity(number: string, rules: NumberRules): string {
  return identity(normalize(number, rules));
}

/**
 * Every form under which a looked-up number may be stored: its identity under each of `rules` (one per service
 * searched), plus the text as given and `+`-fixed, as records stored before numbers were kept in E.164 have it.
 */
export function lookupForms(value: string, rules: NumberRules[]): string[] {
  const forms = new Set([value, value.trim()]);
  for (const r of rules) {
    if (r.fixPlus) forms.add(fixPlus(value));
    forms.add(numberIdentity(value, r));
  }
  return [...forms];
}

/**
 * Apply the rules in order (fix plus, impossible, premium) and return the number to store: its E.164 form when
 * it is a possible number, else its canonical characters (separators removed). Messages quote it as sent.
 *
 * - Plus fixing is skipped when it would break a valid national number of the default country: e.g. a
 *   Chinese mobile "13812345678" (default CN) or a Brazilian "11987654321" (default BR) look like "+1…"
 *   numbers but are valid nationally, while "+1 381…" / "+1 198…" are not valid NANP numbers.
 * - "Impossible" = libphonenumber cannot parse the number for the default country, or isPossible() is false
 *   (length check; isValid() is deliberately not used, so new number ranges are not rejected). A short
 *   internal extension such as "5115" is therefore IMPOSSIBLE (too short for any plan) and rejected when
 *   _disallow_impossible_phone_numbers is on; with the option off it is stored as "5115" (never premium).
 * - Premium = getType() === "PREMIUM_RATE" (e.g. US 900 numbers, UK 09 numbers).
 */
export function checkCustomerNumber(number: string, rules: NumberRules): string {
  const n = normalize(number, rules);
  if (rules.disallowImpossible && (!n.parsed || !n.parsed.isPossible())) {
    throw numberError(`Customer Number [${number}] is disallowed, because it is invalid. Check option _disallow_impossible_phone_numbers`);
  }
  if (rules.disallowPremium && n.parsed && n.parsed.getType() === "PREMIUM_RATE") {
    throw numberError(
      `Customer Number [${number}] is disallowed, because it's a premium number. Check option _disallow_premium_phone_numbers`,
    );
  }
  return identity(n);
}

/**
 * The builtin GET /genesys/1/phonenumber?number=&country= answer. `country` "" means the default (US); an
 * unknown country only lets "+…" numbers parse. Fields without a value are omitted (type, region).
 */
export function describeNumber(number: string, country: string): Record<string, string | boolean> {
  const cc = (country ?? "").trim() === "" ? DEFAULT_COUNTRY : country.trim().toUpperCase();
  const p = parse(number.trim(), toCountry(cc));
  if (!p) {
    throw numberError(`Invalid Phone Number ${number} for Country ${cc} (parsing impossible)`);
  }
  const out: Record<string, string | boolean> = {
    number,
    country: cc,
    e164: p.number,
    national: p.formatNational(),
    international: p.formatInternational(),
  };
  const type = p.getType();
  if (type) out.type = type;
  out["is-valid"] = p.isValid();
  out["is-possible"] = p.isPossible();
  out["is-premium"] = type === "PREMIUM_RATE";
  if (p.country) out.region = p.country;
  return out;
}
