// The rules of a console user's name, role and password: one source for the admin users API and the console's
// Users page forms (client-safe: zod only).
import { z } from "zod";

export const ROLES = ["monitor", "supervisor", "admin"] as const;

export const USER_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
export const USER_NAME_RULE = "1-64 of A-Z a-z 0-9 _ . @ -";

export const Password = z.string().min(8, "password: at least 8 characters").max(200, "password: at most 200 characters");
export const RoleName = z.enum(ROLES, { message: `role: one of ${ROLES.join(", ")}` });
