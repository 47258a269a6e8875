"use client";
// The Users panel: every user with their role, and the admin's actions on them. What the engine refuses (the last
// admin's demotion or deletion, deleting oneself) is disabled here with the reason in words; the routes refuse it too.
import * as Dialog from "@radix-ui/react-dialog";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ROLES } from "@/lib/auth/user-rules";
import type { Role } from "@/lib/auth/users";
import { NewUserInput, PasswordInput } from "@/lib/console/admin-schemas";
import type { UserView } from "@/lib/console/users";
import { ActionDialog, FormFooter } from "../callbacks/actions/action-dialog";
import dialog from "../callbacks/actions/actions.module.css";
import { ConfirmDelete } from "../confirm-delete";
import { fetchJson } from "../fetch-json";
import { Field, describedBy } from "../form-field";
import { sendJson } from "../send-json";
import styles from "./users.module.css";
import { RefreshFailed, Toast } from "../panel-states";

const USERS_KEY = ["users"] as const;
const userUrl = (name: string) => `/api/console/users/${encodeURIComponent(name)}`;
const created = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function UsersPanel({ initial, me }: { initial: UserView[]; me: string }) {
  const client = useQueryClient();
  const [toast, setToast] = useState("");
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => fetchJson<UserView[]>("/api/console/users"), initialData: initial });
  const done = async (message: string) => {
    await client.invalidateQueries({ queryKey: USERS_KEY });
    setToast(message);
  };
  const list = users.data;
  return (
    <>
      <RefreshFailed what="the users" query={users} />
      <div className={styles.toolbar}>
        <span className={styles.count}>
          {list.length} user{list.length === 1 ? "" : "s"}, {list.filter((u) => u.role === "admin").length} admin
          {list.filter((u) => u.role === "admin").length === 1 ? "" : "s"}
        </span>
        <CreateUserDialog onCreated={(u, r) => done(`User ${u} created as ${r}`)} />
      </div>
      <div className={styles.tableWrap}>
        <table aria-label="Users">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Created (UTC)</th>
              <th scope="col">Guards</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.username} data-user={u.username}>
                <td>
                  {u.username}
                  {u.username === me && <span className="muted"> (you)</span>}
                </td>
                <td>
                  <RoleForm user={u} onChanged={(r) => done(`${u.username} is now ${r}; their sessions have ended`)} />
                </td>
                <td>{created.format(new Date(u.created))}</td>
                <td>{guardOf(u) && <span className={styles.guard}>{guardOf(u)}</span>}</td>
                <td>
                  <div className={styles.actions}>
                    <PasswordDialog
                      user={u.username}
                      onDone={() => done(`New password set for ${u.username}; their sessions have ended`)}
                    />
                    <ConfirmDelete
                      trigger="Delete"
                      triggerLabel={`Delete user ${u.username}`}
                      title={`Delete the user ${u.username}?`}
                      description={`${u.username} (${u.role}) can no longer sign in, and their open sessions end now.`}
                      confirm={`Delete user ${u.username}`}
                      disabledReason={u.cannotDelete ?? undefined}
                      action={() => sendJson("DELETE", userUrl(u.username))}
                      onDone={() => done(`User ${u.username} deleted`)}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Toast message={toast} onDismiss={() => setToast("")} />
    </>
  );
}

/** The guard of a row in a few words (the disabled controls carry the engine's exact reason as their title). */
function guardOf(u: UserView): string | null {
  if (u.cannotDemote && u.cannotDelete) return "Last admin: cannot be demoted or deleted";
  return u.cannotDemote ?? u.cannotDelete;
}

function RoleForm({ user, onChanged }: { user: UserView; onChanged: (role: Role) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const change = useMutation({
    mutationFn: (r: Role) => sendJson("PUT", `${userUrl(user.username)}/role`, { role: r }),
    onSuccess: (_x, r) => onChanged(r),
  });
  const id = `role-${user.username.replace(/\W/g, "_")}`;
  return (
    <form
      className={styles.roleForm}
      onSubmit={(e) => {
        e.preventDefault();
        change.mutate(role);
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Role of {user.username}
      </label>
      <select
        id={id}
        value={role}
        onChange={(e) => (setRole(e.target.value as Role), change.reset())}
        disabled={!!user.cannotDemote}
        title={user.cannotDemote ?? undefined}
        aria-describedby={change.isError ? `${id}-error` : undefined}
      >
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      {role !== user.role && (
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? "Saving…" : `Make ${role}`}
        </button>
      )}
      {change.isError && (
        <span id={`${id}-error`} className={dialog.error} role="alert">
          {change.error.message}
        </span>
      )}
    </form>
  );
}

function CreateUserDialog({ onCreated }: { onCreated: (user: string, role: Role) => void }) {
  const [open, setOpen] = useState(false);
  const defaults: NewUserInput = { username: "", role: "monitor", password: "" };
  const form = useForm<NewUserInput>({ resolver: zodResolver(NewUserInput), defaultValues: defaults });
  const create = useMutation({
    mutationFn: (v: NewUserInput) => sendJson("POST", "/api/console/users", v),
    onSuccess: (_r, v) => {
      setOpen(false);
      form.reset(defaults);
      onCreated(v.username.trim(), v.role);
    },
    onError: (e) =>
      form.setError(/user named|user name/i.test(e.message) ? "username" : /password/.test(e.message) ? "password" : "root", e),
  });
  const e = form.formState.errors;
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => (setOpen(o), o || form.reset(defaults))}
      trigger={<button type="button">Create user</button>}
    >
      <Dialog.Title>Create a user</Dialog.Title>
      <Dialog.Description className={dialog.hint}>
        The user signs in to the console and the admin API with this name and password.
      </Dialog.Description>
      <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
        <Field id="u-name" label="User name" error={e.username?.message} hint="1-64 of A-Z a-z 0-9 _ . @ -">
          <input
            id="u-name"
            autoComplete="off"
            {...form.register("username")}
            aria-invalid={!!e.username}
            aria-describedby={describedBy("u-name", e.username, true)}
          />
        </Field>
        <Field id="u-role" label="Role" error={e.role?.message}>
          <select id="u-role" {...form.register("role")} aria-describedby={describedBy("u-role", e.role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field id="u-password" label="Password" error={e.password?.message} hint="At least 8 characters">
          <input
            id="u-password"
            type="password"
            autoComplete="new-password"
            {...form.register("password")}
            aria-invalid={!!e.password}
            aria-describedby={describedBy("u-password", e.password, true)}
          />
        </Field>
        <FormFooter error={e.root} failed="Not created" pending={create.isPending} busy="Creating…" submit="Create user" />
      </form>
    </ActionDialog>
  );
}

function PasswordDialog({ user, onDone }: { user: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const form = useForm<{ password: string }>({ resolver: zodResolver(PasswordInput), defaultValues: { password: "" } });
  const reset = useMutation({
    mutationFn: (v: { password: string }) => sendJson("PUT", `${userUrl(user)}/password`, v),
    onSuccess: () => {
      setOpen(false);
      form.reset();
      onDone();
    },
    onError: (e) => form.setError(/password/.test(e.message) ? "password" : "root", e),
  });
  const e = form.formState.errors;
  const id = `pw-${user.replace(/\W/g, "_")}`;
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => (setOpen(o), o || form.reset())}
      trigger={
        <button type="button" className="secondary" aria-label={`Reset password of ${user}`}>
          Reset password
        </button>
      }
    >
      <Dialog.Title>New password for {user}</Dialog.Title>
      <Dialog.Description className={dialog.hint}>
        {user}&apos;s open sessions end; they sign in again with the new password.
      </Dialog.Description>
      <form onSubmit={form.handleSubmit((v) => reset.mutate(v))} noValidate>
        <Field id={id} label="New password" error={e.password?.message} hint="At least 8 characters">
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            {...form.register("password")}
            aria-invalid={!!e.password}
            aria-describedby={describedBy(id, e.password, true)}
          />
        </Field>
        <FormFooter error={e.root} failed="Not changed" pending={reset.isPending} busy="Setting…" submit="Set the new password" />
      </form>
    </ActionDialog>
  );
}
