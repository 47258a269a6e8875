// The Add New Service dialog's templates and the callback scenario presets, as data: each preset is the option map a
// new service starts with, shown in the form for review before it is saved (test/console-services.test.ts checks
// every one against the option schemas). Client-safe: plain data, no imports.

export const TEMPLATES = ["callback", "office-hours", "capacity"] as const;
export type Template = (typeof TEMPLATES)[number];

export interface Preset {
  id: string;
  label: string;
  /** One line shown under the picker: what the scenario does. */
  summary: string;
  options: Record<string, string>;
}

// User Originated: the customer calls an access number (booked for _booking_expiration_timeout); User Terminated: the
// service calls the customer. Immediate presets hand over at once; delayed ones wait on the queue's estimate (EWT);
// scheduled ones take a desired time up to a month ahead.
export const CALLBACK_PRESETS: readonly Preset[] = [
  {
    id: "uo-immediate",
    label: "User Originated Immediate",
    summary: "The customer calls in now on a booked access number; an agent is reserved first.",
    options: { _type: "builtin", _media_type: "voice", _wait_for_agent: "true", _booking_expiration_timeout: "30" },
  },
  {
    id: "uo-delayed",
    label: "User Originated Delayed",
    summary: "The customer is told to call in when the estimated wait is over; the access number is booked then.",
    options: {
      _type: "builtin",
      _media_type: "voice",
      _wait_for_agent: "true",
      _booking_expiration_timeout: "60",
      _request_queue_time_stat: "EWT",
    },
  },
  {
    id: "ut-immediate",
    label: "User Terminated Immediate",
    summary: "The customer asks to be called back as soon as possible; the call is placed when an agent is free.",
    options: { _type: "builtin", _media_type: "voice", _wait_for_agent: "false", _wait_for_user_confirm: "false" },
  },
  {
    id: "ut-delayed",
    label: "User Terminated Delayed",
    summary: "The customer is called back after the estimated wait and confirms before being connected.",
    options: {
      _type: "builtin",
      _media_type: "voice",
      _wait_for_agent: "false",
      _wait_for_user_confirm: "true",
      _request_queue_time_stat: "EWT",
    },
  },
  {
    id: "ut-scheduled",
    label: "User Terminated Scheduled",
    summary: "The customer picks a time up to a month ahead; the call is placed at that time.",
    options: {
      _type: "builtin",
      _media_type: "voice",
      _wait_for_agent: "false",
      _wait_for_user_confirm: "true",
      _reject_future_desired_time: "1M",
      _request_time_bucket: "15",
    },
  },
  {
    id: "ut-preview",
    label: "User Terminated Preview",
    summary: "The agent previews the callback (and may reject it) before the customer is dialled.",
    options: {
      _type: "builtin",
      _media_type: "voice",
      _agent_preview: "true",
      _agent_preview_allow_reject: "true",
      _agent_preview_timeout: "30",
      _agent_preview_via_rp: "false",
    },
  },
  {
    id: "chat-immediate",
    label: "Chat Immediate",
    summary: "A chat session opens as soon as an agent is free.",
    options: { _type: "builtin", _media_type: "chat", _wait_for_agent: "true" },
  },
  {
    id: "chat-delayed",
    label: "Chat Delayed",
    summary: "A chat session opens after the estimated wait.",
    options: { _type: "builtin", _media_type: "chat", _wait_for_agent: "true", _request_queue_time_stat: "EWT" },
  },
  {
    id: "samples",
    label: "Samples",
    summary: "A service to try things with: the simulator runs ten times faster, with no per-number limit.",
    options: {
      _type: "builtin",
      _media_type: "voice",
      _enable_in_queue_checking: "false",
      _sim_agents: "3",
      _sim_speed: "10",
    },
  },
];

/** The options a new service of a template starts with (a callback one: its preset's). */
export function templateOptions(template: Template, presetId?: string): Record<string, string> {
  if (template === "office-hours") return { _service: "office-hours", _timezone: "America/New_York", _bh_regular1: "Mon-Fri 09:00-17:00" };
  if (template === "capacity") {
    // 5 per bucket Monday to Friday, 09:00 to 17:00 (a plan with no keys would offer no slot at all)
    const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [`_capacity_${d}`, JSON.stringify({ [d]: { "0900": 5, "1700": 0 } })]));
    return { _service: "capacity", _timezone: "America/New_York", ...weekdays };
  }
  const preset = CALLBACK_PRESETS.find((p) => p.id === presetId) ?? CALLBACK_PRESETS[2];
  return { _service: "callback", ...preset.options };
}
