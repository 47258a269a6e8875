import { describe, it, expect } from "vitest";
import { CallbackError, EXC } from "../lib/callback/errors";
import { checkCustomerNumber, describeNumber, fixPlus, isCountryCode, type NumberRules } from "../lib/callback/phone";

const US: NumberRules = { fixPlus: true, disallowImpossible: true, disallowPremium: true, defaultCountry: "US" };

const invalidMsg = (n: string) =>
  `Customer Number [${n}] is disallowed, because it is invalid. Check option _disallow_impossible_phone_numbers`;
const premiumMsg = (n: string) =>
  `Customer Number [${n}] is disallowed, because it's a premium number. Check option _disallow_premium_phone_numbers`;

function thrown(fn: () => unknown): CallbackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CallbackError);
    return e as CallbackError;
  }
  throw new Error("expected a CallbackError");
}

describe("fixPlus", () => {
  it("adds + to 11+ digit numbers that start with a country calling code", () => {
    expect(fixPlus("33612345678")).toBe("+33612345678");
    expect(fixPlus(" 33612345678 ")).toBe("+33612345678");
    expect(fixPlus("33 6 12-34.56 78")).toBe("+33 6 12-34.56 78");
    expect(fixPlus("16175551212")).toBe("+16175551212");
    expect(fixPlus("447911123456")).toBe("+447911123456");
    expect(fixPlus("80012345678")).toBe("+80012345678"); // non-geographic 800
  });

  it("leaves everything else unchanged (trimmed)", () => {
    expect(fixPlus("6175551212")).toBe("6175551212"); // 10 digits
    expect(fixPlus(" (617) 555-1212 ")).toBe("(617) 555-1212");
    expect(fixPlus("+33612345678")).toBe("+33612345678");
    expect(fixPlus("07911123456")).toBe("07911123456"); // trunk prefix: no calling code starts with 0
    expect(fixPlus("28123456789")).toBe("28123456789"); // 28x is not an assigned calling code
    expect(fixPlus("33612345678 ext 5")).toBe("33612345678 ext 5");
    expect(fixPlus("5115")).toBe("5115");
    expect(fixPlus("")).toBe("");
  });
});

describe("checkCustomerNumber", () => {
  it("returns the number to store: its E.164 form, after plus fixing", () => {
    expect(checkCustomerNumber("6175551212", US)).toBe("+16175551212");
    expect(checkCustomerNumber(" (617) 555-1212 ", US)).toBe("+16175551212");
    expect(checkCustomerNumber("33612345678", US)).toBe("+33612345678");
    expect(checkCustomerNumber("+33612345678", US)).toBe("+33612345678");
  });

  it("does not let plus fixing break a valid national number of the default country", () => {
    expect(checkCustomerNumber("13812345678", { ...US, defaultCountry: "CN" })).toBe("+8613812345678");
    expect(checkCustomerNumber("11987654321", { ...US, defaultCountry: "BR" })).toBe("+5511987654321");
    // but a number valid in both readings is fixed (the rule wins)
    expect(checkCustomerNumber("33612345678", { ...US, defaultCountry: "FR" })).toBe("+33612345678");
  });

  it("without plus fixing, an international number lacking + is impossible for the default country", () => {
    const e = thrown(() => checkCustomerNumber("33612345678", { ...US, fixPlus: false }));
    expect(e.message).toBe(invalidMsg("33612345678"));
  });

  it("rejects impossible numbers with the exact GMS message", () => {
    for (const n of ["not a number", "123", "617555121234567", "", "abc 6175551212"]) {
      const e = thrown(() => checkCustomerNumber(n, US));
      expect(e.message).toBe(invalidMsg(n));
      expect(e.code).toBe(40010);
      expect(e.status).toBe(400);
      expect(e.toBody()).toEqual({ code: 40010, phrase: "BAD_PARAMETER", message: invalidMsg(n), exception: EXC.number });
    }
  });

  it("a 4-digit internal extension like 5115 is impossible: rejected by default, stored as sent when allowed", () => {
    expect(thrown(() => checkCustomerNumber("5115", US)).message).toBe(invalidMsg("5115"));
    expect(checkCustomerNumber("5115", { ...US, disallowImpossible: false })).toBe("5115");
  });

  it("quotes the number exactly as sent", () => {
    expect(thrown(() => checkCustomerNumber(" 12 ", US)).message).toBe(invalidMsg(" 12 "));
  });

  it("rejects premium-rate numbers with the exact GMS message", () => {
    for (const n of ["9005551212", "1-900-555-1212", "+1 900 555 1212", "19005551212"]) {
      const e = thrown(() => checkCustomerNumber(n, US));
      expect(e.message).toBe(premiumMsg(n));
      expect(e.extras.exception).toBe(EXC.number);
      expect(e.code).toBe(40010);
    }
    expect(thrown(() => checkCustomerNumber("+44 909 879 0000", US)).message).toBe(premiumMsg("+44 909 879 0000"));
    expect(checkCustomerNumber("9005551212", { ...US, disallowPremium: false })).toBe("+19005551212");
    expect(checkCustomerNumber("19005551212", { ...US, disallowPremium: false })).toBe("+19005551212");
  });

  it("checks impossible before premium, and nothing when all rules are off", () => {
    const off: NumberRules = { fixPlus: false, disallowImpossible: false, disallowPremium: false, defaultCountry: "US" };
    expect(checkCustomerNumber(" anything ", off)).toBe("anything");
    // too long for the US: impossible (a premium type is only reported for valid numbers)
    expect(thrown(() => checkCustomerNumber("90055512123", { ...US, fixPlus: false })).message).toBe(invalidMsg("90055512123"));
  });

  it("uses the default country for national numbers (empty = US)", () => {
    expect(checkCustomerNumber("06 12 34 56 78", { ...US, defaultCountry: "FR" })).toBe("+33612345678");
    // isPossible() is a length check: a 10-digit French national number is "possible" for the US too
    expect(checkCustomerNumber("06 12 34 56 78", US)).toBe("+10612345678");
    expect(checkCustomerNumber("6175551212", { ...US, defaultCountry: "" })).toBe("+16175551212");
    expect(checkCustomerNumber("6175551212", { ...US, defaultCountry: "us" })).toBe("+16175551212");
  });
});

describe("isCountryCode", () => {
  it("accepts ISO 3166 alpha-2 codes known to libphonenumber", () => {
    for (const cc of ["US", "FR", "GB", "IN", "CN", "BR", "us", "Fr"]) expect(isCountryCode(cc)).toBe(true);
    for (const cc of ["", "U", "USA", "ZZ", "UK", "001", "1", "U1", " US"]) expect(isCountryCode(cc)).toBe(false);
  });
});

describe("describeNumber", () => {
  it("describes a US number", () => {
    expect(describeNumber("6175551212", "US")).toEqual({
      number: "6175551212",
      country: "US",
      e164: "+16175551212",
      national: "(617) 555-1212",
      international: "+1 617 555 1212",
      type: "FIXED_LINE_OR_MOBILE",
      "is-valid": true,
      "is-possible": true,
      "is-premium": false,
      region: "US",
    });
  });

  it("describes international, premium and invalid-but-parseable numbers", () => {
    const fr = describeNumber("+33 6 12 34 56 78", "");
    expect(fr).toMatchObject({ country: "US", e164: "+33612345678", type: "MOBILE", region: "FR", "is-valid": true });
    expect(describeNumber("0612345678", "fr")).toMatchObject({ country: "FR", e164: "+33612345678", national: "06 12 34 56 78" });
    expect(describeNumber("9005551212", "US")).toMatchObject({ type: "PREMIUM_RATE", "is-premium": true });
    const short = describeNumber("5115", "US");
    expect(short).toMatchObject({ number: "5115", e164: "+15115", "is-valid": false, "is-possible": false, "is-premium": false });
    expect(short).not.toHaveProperty("type");
    const nonGeo = describeNumber("+800 1234 5678", "US");
    expect(nonGeo).toMatchObject({ type: "TOLL_FREE", "is-valid": true });
    expect(nonGeo).not.toHaveProperty("region");
  });

  it("throws 40010 when the number cannot be parsed", () => {
    for (const [n, cc] of [
      ["abc", "US"],
      ["", "US"],
      ["6175551212", "ZZ"],
    ] as const) {
      const e = thrown(() => describeNumber(n, cc));
      expect(e.message).toBe(`Invalid Phone Number ${n} for Country ${cc} (parsing impossible)`);
      expect(e.code).toBe(40010);
      expect(e.extras.exception).toBe(EXC.number);
    }
    // an unknown country still lets +numbers parse
    expect(describeNumber("+16175551212", "ZZ")).toMatchObject({ country: "ZZ", region: "US" });
  });
});
