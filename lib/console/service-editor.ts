// Types and labels of the console's option editor, shared by the server read model and the client editor.
// Client-safe: no imports that reach the database or the phone-number metadata.

export type EditorGroup = "general" | "office-hours" | "capacity" | "limits" | "execution" | "notifications" | "simulator" | "other";

export const GROUP_LABELS: Record<EditorGroup, string> = {
  general: "General",
  "office-hours": "Office hours",
  capacity: "Capacity",
  limits: "Limits",
  execution: "Execution",
  notifications: "Notifications",
  simulator: "Simulator",
  other: "Other options",
};

/** One input of the editor: an option of the schema (or a kept unknown one), without its validation code. */
export interface EditorField {
  name: string;
  group: EditorGroup;
  type: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** The default as text, shown greyed as the placeholder. */
  placeholder?: string;
  required?: boolean;
  description: string;
  /** For a service reference: the kind of service it must name. */
  refKind?: string;
}

export type ServiceKind = "callback" | "office-hours" | "capacity";

/** Services by kind, for the reference pickers. */
export type ServicesByKind = Record<ServiceKind, string[]>;

export interface Ref {
  service: string;
  option: string;
}

/** The error body's `properties` of a refused save: the message per option. */
export type FieldErrors = Record<string, string>;
