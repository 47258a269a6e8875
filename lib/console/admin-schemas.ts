// Inputs of the console's Patterns and Users routes: parsed at the edge with these schemas, and the same schemas
// drive the pages' forms, so a field's error reads the same in the browser and from the server. Client-safe.
import { z } from "zod";
import { Password, RoleName, USER_NAME, USER_NAME_RULE } from "../auth/user-rules";

/** The engine's rule for service and pattern group names. */
const GROUP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** The engine refuses longer patterns; checked here too so the form says so before a round trip. */
const MAX_PATTERN_LENGTH = 500;

export const GroupName = z.string().trim().regex(GROUP_NAME, { message: "Use 1-64 characters of A-Z a-z 0-9 _ . -" });

export const PatternInput = z.object({
  name: z.string().trim().min(1, { message: "A pattern needs a name" }).max(100, { message: "At most 100 characters" }),
  regex: z
    .string()
    .min(1, { message: "Enter a regular expression" })
    .max(MAX_PATTERN_LENGTH, { message: `At most ${MAX_PATTERN_LENGTH} characters` }),
  /** The name the pattern had before this edit (a rename); absent for a new pattern. */
  previous: z.string().max(100).optional(),
});
export type PatternInput = z.infer<typeof PatternInput>;

export const NewGroupInput = PatternInput.omit({ previous: true }).extend({ group: GroupName });
export type NewGroupInput = z.infer<typeof NewGroupInput>;

export const PatternTestInput = z.object({
  group: GroupName,
  number: z
    .string()
    .trim()
    .min(1, { message: "Enter a phone number" })
    .max(64, { message: "At most 64 characters, as Start-Callback allows" }),
  /** The callback service whose number rules apply; absent → the global defaults. */
  service: z.string().max(64).optional(),
});
export type PatternTestInput = z.infer<typeof PatternTestInput>;

export const NewUserInput = z.object({
  username: z
    .string()
    .trim()
    .regex(USER_NAME, { message: `User name: ${USER_NAME_RULE}` }),
  role: RoleName,
  password: Password,
});
export type NewUserInput = z.infer<typeof NewUserInput>;

export const RoleInput = z.object({ role: RoleName });
export const PasswordInput = z.object({ password: Password });
