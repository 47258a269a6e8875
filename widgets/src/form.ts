// The Callback form widget: a dialog (shadow DOM) asking for a name and a phone number, then "call me now" or
// a free slot from Availability v2, through the CallbackService commands. Configured like the Genesys Callback
// widget (`_genesys.widgets.callback` and `.calendar`); opened by `Callback.open`, closed by `Callback.close`.
import type { Bus, Options } from "./bus";
import { apiRequest, serviceUrl, type ApiError, type CallbackConfig } from "./callback-service";
import type { Widgets } from "./install";

type Kid = Node | string | false | null | undefined;
type Attrs = Record<string, string | boolean | undefined | ((e: Event) => void)>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else if (v) el.setAttribute(k, v);
  }
  for (const k of kids) if (k) el.append(k);
  return el;
}

interface Slots {
  times: number[];
  office?: string;
}

/** Light client-side check; the server validates fully (libphonenumber) and its 40010 message is shown. */
export function toNumber(raw: string, country: string | null, code: string): string | null {
  let t = raw.replace(/[\s().\-/]/g, "");
  if (/^(\+|00)[1-9]\d{5,14}$/.test(t)) return "+" + t.replace(/^(\+|00)/, "");
  if (!/^\d{4,14}$/.test(t)) return null;
  if (!country) return t; // no country picker: the service's _default_country applies
  if (code === "1" && /^1\d{10}$/.test(t)) t = t.slice(1); // "1 617 555 0123" typed in the US
  // the trunk prefix 0 is dropped after the country code, except where it belongs to the number (Italy & co)
  return `+${code}${/^(IT|SM|VA)$/.test(country) ? t : t.replace(/^0/, "")}`;
}

const fmtDay = (t: number) => new Date(t).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
const fmtTime = (t: number, timeZone?: string) =>
  new Date(t).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", timeZone });
const fmtWhen = (t: number) => `${fmtDay(t)}, ${fmtTime(t)}`;
const myZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Times from `calendar.calenderHours` (Genesys spelling) when availability is not asked: local wall-clock slots. */
function hourSlots(cal: Options, days: number): number[] {
  const ch = (cal.calenderHours ?? {}) as Record<string, { openTime?: string; closeTime?: string } | number>;
  const step = (Number(ch.interval) || 10) * 60_000;
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    for (const part of ["morning", "afternoon", "evening"]) {
      const p = ch[part];
      if (typeof p !== "object") continue;
      const [a, b] = [p.openTime, p.closeTime].map((hm) => {
        const t = new Date();
        const [hh, mm] = String(hm).split(":");
        t.setDate(t.getDate() + d);
        t.setHours(Number(hh), Number(mm) || 0, 0, 0);
        return t.getTime();
      });
      for (let t = a; t < b; t += step) if (t > Date.now()) out.push(t);
    }
  }
  return out;
}

export function mountForm(widgets: Widgets & { bus: Bus }): void {
  const { bus } = widgets;
  const plugin = bus.registerPlugin("Callback");
  const cb = () => (widgets.callback ?? {}) as CallbackConfig & Options;
  const cal = () => (widgets.calendar ?? {}) as Options;

  const codes = new Map(__COUNTRIES__.split(",").map((s) => [s.slice(0, 2), s.slice(2)]));
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([navigator.language], { type: "region" });
  } catch {
    names = undefined; // older browsers: ISO codes instead of names
  }
  const region = (navigator.language.split("-")[1] ?? "").toUpperCase();
  const state = { first: "", last: "", cc: codes.has(region) ? region : "US", phone: "", later: false };
  let userData: Options | undefined;
  let opener: HTMLElement | null = null;
  let sending = false;

  const title = h("h2", { id: "cb-title" });
  const body = h("div");
  const live = h("div", { class: "live", role: "status", "aria-live": "polite" });
  const dialog = h(
    "div",
    { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "cb-title", onkeydown: (e) => keys(e as KeyboardEvent) },
    h(
      "div",
      { class: "head" },
      title,
      h("button", { class: "x", type: "button", "aria-label": "Close the callback form", onclick: () => close() }, "×"),
    ),
    body,
    live,
  );
  const backdrop: HTMLDivElement = h(
    "div",
    { class: "backdrop", hidden: true, onmousedown: (e) => e.target === backdrop && close() },
    dialog,
  );
  const launcher =
    cb().launcher !== false &&
    h("button", { class: "launcher", type: "button", "aria-haspopup": "dialog", onclick: () => open() }, "Call me back");
  const host = h("div", { "data-callback-widget": "" });
  const shadow = host.attachShadow({ mode: "open" });
  const style = h("style");
  style.textContent = __FORM_CSS__;
  shadow.append(style, h("div", { class: "root" }, launcher, backdrop));
  const mount = () => document.body.append(host);
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  const focusables = () =>
    [...dialog.querySelectorAll<HTMLElement>("button,input,select,textarea,[href]")].filter(
      (el) =>
        !(el as HTMLButtonElement).disabled &&
        el.tabIndex >= 0 &&
        el.offsetParent !== null &&
        !(el instanceof HTMLInputElement && el.type === "radio" && !el.checked),
    );
  // the focus trap of a modal dialog: Tab and Shift+Tab cycle inside it, Escape closes it
  function keys(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "Tab") {
      const f = focusables();
      const at = shadow.activeElement;
      const wrapTo = e.shiftKey
        ? at === f[0] || !f.includes(at as HTMLElement)
          ? f[f.length - 1]
          : null
        : at === f[f.length - 1]
          ? f[0]
          : null;
      if (wrapTo) {
        e.preventDefault();
        wrapTo.focus();
      }
    }
  }

  function say(text: string, bad = false, ...extra: Kid[]) {
    live.className = bad ? "live bad" : "live";
    live.replaceChildren(...(text ? [h("p", {}, text)] : []), ...extra.filter((k): k is Node => !!k));
    if (bad) live.scrollIntoView({ block: "nearest" });
  }

  function view(heading: string, ...kids: Kid[]) {
    title.textContent = heading;
    body.replaceChildren(...kids.filter((k): k is Node => !!k));
  }

  function open(o?: Options) {
    if (!backdrop.hidden) return;
    let a = document.activeElement as HTMLElement | null;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement as HTMLElement;
    opener = a;
    userData = o?.userData as Options | undefined;
    const form = (o?.form ?? {}) as Options;
    if (form.firstname) state.first = String(form.firstname);
    if (form.lastname) state.last = String(form.lastname);
    if (form.phonenumber) state.phone = String(form.phonenumber);
    backdrop.hidden = false;
    details();
    plugin.publish("opened");
  }

  function close() {
    if (backdrop.hidden) return;
    backdrop.hidden = true;
    say("");
    opener?.focus();
    plugin.publish("closed");
  }

  function field(id: string, label: string, input: HTMLElement) {
    return [h("label", { for: id }, label), input, h("p", { class: "err", id: `${id}-err`, hidden: true })];
  }
  function invalid(input: HTMLElement, msg: string) {
    const err = body.querySelector<HTMLElement>(`#${input.id}-err`)!;
    err.textContent = msg;
    err.hidden = !msg;
    if (msg) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", err.id);
    } else input.removeAttribute("aria-invalid");
    return !msg;
  }

  function details(phoneError = "") {
    const c = cb();
    const now = c.immediateCallback !== false;
    const later = c.scheduledCallback !== false || !now;
    if (!now) state.later = true;
    else if (!later) state.later = false;
    const first = h("input", { id: "cb-first", autocomplete: "given-name", required: true, value: state.first });
    const last = h("input", { id: "cb-last", autocomplete: "family-name", value: state.last });
    const phone = h("input", {
      id: "cb-phone",
      type: "tel",
      autocomplete: c.countryCodes === false ? "tel" : "tel-national",
      required: true,
    });
    phone.value = state.phone;
    // the chosen code is also shown beside the select, whose closed state may cut a long country name
    const shown = h("span", { class: "code", "aria-hidden": "true" }, `+${codes.get(state.cc)}`);
    const picker =
      c.countryCodes !== false &&
      h(
        "select",
        {
          id: "cb-cc",
          "aria-label": "Country calling code",
          onchange: () => (shown.textContent = `+${codes.get(picker ? picker.value : "")}`),
        },
        ...[...codes]
          .map(([iso, code]) => [iso, `${names?.of(iso) ?? iso} +${code}`])
          .sort((x, y) => x[1].localeCompare(y[1]))
          .map(([iso, text]) => h("option", { value: iso, selected: iso === state.cc }, text)),
      );
    const submit = h("button", { class: "btn", type: "submit" });
    const label = () => (submit.textContent = state.later ? "See available times" : "Call me now");
    label();
    const radio = (value: boolean, text: string) =>
      h(
        "label",
        { class: "radio" },
        h("input", {
          type: "radio",
          name: "cb-when",
          checked: state.later === value,
          onchange: () => ((state.later = value), label()),
        }),
        text,
      );
    const form = h(
      "form",
      { novalidate: true, onsubmit: (e) => (e.preventDefault(), go()) },
      ...field("cb-first", "First name", first),
      ...field("cb-last", "Last name (optional)", last),
      h("label", { for: "cb-phone" }, "Phone number"),
      h("div", { class: "tel" }, picker, picker && shown, phone),
      h("p", { class: "err", id: "cb-phone-err", hidden: true }),
      now &&
        later &&
        h(
          "fieldset",
          {},
          h("legend", {}, "When should we call you?"),
          radio(false, "As soon as possible"),
          radio(true, "At a time I choose"),
        ),
      h("div", { class: "row" }, submit),
    );
    view("Request a callback", form);
    if (phoneError) {
      invalid(phone, phoneError);
      phone.focus();
    } else first.focus();

    function go() {
      state.first = first.value.trim();
      state.last = last.value.trim();
      state.phone = phone.value.trim();
      if (picker) state.cc = picker.value;
      const okFirst = invalid(first, state.first ? "" : "Please enter your first name.");
      const okPhone = invalid(phone, number() ? "" : "Please enter a phone number with its area code, digits only.");
      if (!okFirst) first.focus();
      else if (!okPhone) phone.focus();
      else if (state.later) void times();
      else void submitAt();
    }
  }

  const number = () => toNumber(state.phone, cb().countryCodes === false ? null : state.cc, codes.get(state.cc) ?? "1");

  async function submitAt(desired?: number) {
    if (sending) return;
    sending = true;
    say("Sending your request…");
    try {
      const r = (await bus.command("CallbackService.schedule", {
        firstname: state.first,
        lastname: state.last,
        phonenumber: number(),
        desiredTime: desired && new Date(desired).toISOString(),
        userData,
      })) as { _id: string };
      confirmed(r._id, desired);
    } catch (e) {
      failed(e);
    } finally {
      sending = false;
    }
  }

  function failed(e: unknown) {
    const err: ApiError = typeof e === "string" ? { status: 0, message: e } : (e as ApiError);
    const detail = String(err.message ?? "").replace(/\s*Check option.*$/, "");
    const proposals = Object.keys(err.availability ?? {})
      .map(Date.parse)
      .sort((a, b) => a - b); // the server lists them closest first; a visitor reads them in time order
    const offer =
      proposals.length > 0 &&
      h(
        "div",
        {},
        h("p", {}, "These times are free:"),
        h(
          "div",
          { class: "chips" },
          ...proposals.map((t) => h("button", { class: "chip", type: "button", onclick: () => submitAt(t) }, fmtWhen(t))),
        ),
      );
    if (err.code === 40050) say("Sorry, we are closed at that time.", true, offer);
    else if (err.code === 40051) say("Sorry, that time is fully booked.", true, offer);
    else if (err.code === 40001) say("A callback to this number is already pending.", true);
    else if (err.status === 429) say("We are receiving too many requests right now. Please try again in a few minutes.", true);
    else if (err.code === 40010 && /number/i.test(detail)) {
      details(detail); // back to the form, the phone field marked with the server's reason
      say("Please check the phone number.", true);
    } else if (err.status === 0)
      say(
        err.phrase === "TIMEOUT"
          ? "The callback service did not answer in time. Please try again."
          : "The callback service cannot be reached. Please try again later.",
        true,
      );
    else say(`Sorry, your request could not be completed. ${detail}`, true);
  }

  async function times() {
    const back = h("button", { class: "btn alt", type: "button", onclick: () => (say(""), details()) }, "Back");
    view("Choose a time", h("p", { class: "note" }, "Loading available times…"), h("div", { class: "row" }, back));
    say("");
    const c = cal();
    const days = Number(c.numberOfDays) || 5;
    let slots: Slots;
    try {
      if (c.showAvailability === false) slots = { times: hourSlots(c, days) };
      else {
        const r = (await bus.command("CallbackService.availability", {
          startDate: new Date().toISOString(),
          numberOfDays: days,
          version: 2,
        })) as { slots: Array<{ utcTime: string }>; timezone: string };
        slots = { times: r.slots.map((s) => Date.parse(s.utcTime)), office: r.timezone };
      }
    } catch (e) {
      view("Choose a time", h("div", { class: "row" }, back));
      back.focus();
      failed(e);
      return;
    }
    pick(slots, back, days);
  }

  function pick({ times: all, office }: Slots, back: HTMLElement, days: number) {
    const byDay = new Map<string, number[]>();
    for (const t of all) {
      const k = new Date(t).toDateString();
      // numberOfDays counts the visitor's calendar days (a range of N×24 h may touch N+1 of them)
      if (byDay.has(k) || byDay.size < days) byDay.set(k, [...(byDay.get(k) ?? []), t]);
    }
    if (byDay.size === 0) {
      view("Choose a time", h("p", {}, "There are no free times in the coming days."), h("div", { class: "row" }, back));
      back.focus();
      return;
    }
    let chosen: number | undefined;
    const zone = myZone();
    const selected = h("p", { class: "note", id: "cb-sel" });
    const timesBox = h("div", { class: "chips times", role: "group", "aria-labelledby": "cb-times" });
    const press = (box: HTMLElement, btn: HTMLElement) =>
      box.querySelectorAll("button").forEach((b) => {
        b.setAttribute("aria-pressed", String(b === btn));
        b.tabIndex = b === btn ? 0 : -1;
      });
    const showDay = (ts: number[]) => {
      chosen = undefined;
      selected.textContent = "";
      timesBox.replaceChildren(
        ...ts.map((t, i) => {
          const b: HTMLButtonElement = h("button", {
            class: "chip",
            type: "button",
            "aria-pressed": "false",
            "data-time": new Date(t).toISOString(),
            onclick: () => {
              chosen = t;
              press(timesBox, b);
              const officeNote = office && office !== zone ? `, ${fmtTime(t, office)} office time (${office})` : "";
              selected.textContent = `Selected: ${fmtWhen(t)} your time${officeNote}.`;
            },
          });
          b.textContent = fmtTime(t);
          b.tabIndex = i === 0 ? 0 : -1;
          return b;
        }),
      );
    };
    const daysBox = h(
      "div",
      { class: "chips", role: "group", "aria-labelledby": "cb-days" },
      ...[...byDay.values()].map((ts, i) => {
        const b: HTMLButtonElement = h("button", {
          class: "chip",
          type: "button",
          "aria-pressed": String(i === 0),
          onclick: () => (press(daysBox, b), showDay(ts)),
        });
        b.textContent = fmtDay(ts[0]);
        b.tabIndex = i === 0 ? 0 : -1;
        return b;
      }),
    );
    roving(daysBox);
    roving(timesBox);
    showDay([...byDay.values()][0]);
    const officeZone = office && office !== zone ? ` The office is in ${office}.` : "";
    view(
      "Choose a time",
      h("p", { class: "note" }, `Times are shown in your time zone (${zone}).${officeZone}`),
      h("p", { class: "label", id: "cb-days" }, h("strong", {}, "Day")),
      daysBox,
      h("p", { class: "label", id: "cb-times" }, h("strong", {}, "Time")),
      timesBox,
      selected,
      h(
        "div",
        { class: "row" },
        h(
          "button",
          { class: "btn", type: "button", onclick: () => (chosen ? submitAt(chosen) : say("Please choose a time first.", true)) },
          "Request this time",
        ),
        back,
      ),
    );
    daysBox.querySelector("button")!.focus();
  }

  /** One Tab stop per group of chips; arrow keys, Home and End move inside it (the WAI-ARIA toolbar pattern). */
  function roving(box: HTMLElement) {
    box.onkeydown = (e) => {
      const all = [...box.querySelectorAll("button")];
      const i = all.indexOf(shadow.activeElement as HTMLButtonElement);
      const j = (
        { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 } as Record<string, number>
      )[e.key];
      if (j === undefined || i < 0) return;
      e.preventDefault();
      const b = all[(j + all.length) % all.length];
      all.forEach((x) => (x.tabIndex = x === b ? 0 : -1));
      b.focus();
    };
  }

  function confirmed(id: string, desired?: number) {
    const msg = h(
      "p",
      { tabindex: "-1" },
      desired ? `Thank you! We will call you on ${fmtWhen(desired)} (your time).` : "Thank you! We will call you shortly.",
    );
    const done = h("button", { class: "btn", type: "button", onclick: () => close() }, "Close");
    view(
      "Callback requested",
      msg,
      h("p", { class: "note" }, "Reference: ", h("strong", { "data-callback-id": id }, id)),
      h("div", { class: "row" }, done, h("button", { class: "link", type: "button", onclick: () => cancel(id) }, "Cancel this callback")),
    );
    say("");
    msg.focus();
  }

  async function cancel(id: string) {
    say("Cancelling…");
    try {
      await apiRequest(cb(), "DELETE", `${serviceUrl(cb())}/${encodeURIComponent(id)}`);
      const done = h("button", { class: "btn", type: "button", onclick: () => close() }, "Close");
      view("Callback cancelled", h("p", {}, "Your callback request is cancelled. We will not call you."), h("div", { class: "row" }, done));
      say("Your callback request is cancelled.");
      done.focus();
    } catch (e) {
      failed(e);
    }
  }

  plugin.registerCommand("open", (o) => open(o));
  plugin.registerCommand("close", () => close());
  plugin.publish("ready");
}
