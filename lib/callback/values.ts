// What "not set" means for a value of an option map or a request body.

/** Not set: absent, null or "" (a request's "" removes a property; an option's "" falls back to its default). */
export const isUnset = (v: unknown): v is undefined | null | "" => v === undefined || v === null || v === "";

/** Not set, or only blanks: calendar and capacity entries written in an editor are often left as "  ". */
export const isBlank = (v: unknown): boolean => isUnset(v) || (typeof v === "string" && v.trim() === "");
