"use client";
// One service's page: what it is and what names it, its options in the editor (admins edit, others read), and the
// admin actions — Save (replaces the service through the admin API's verb), Pause/Resume, Duplicate, Delete.
import * as Dialog from "@radix-ui/react-dialog";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useId, useMemo, useState, type ReactNode } from "react";
import type { ServiceEditor } from "@/lib/console/services";
import type { EditorField } from "@/lib/console/service-editor";
import { ActionDialog, KeepButton } from "../../callbacks/actions/action-dialog";
import actionStyles from "../../callbacks/actions/actions.module.css";
import { OptionEditor } from "../option-editor";
import { send, serviceUrl, ServiceActionError } from "../api";
import { SaveBar, useOptionForm } from "../option-form";
import styles from "../services.module.css";

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function ServicePanel({
  editor,
  canEdit,
  showEditor,
  children,
}: {
  editor: ServiceEditor;
  canEdit: boolean;
  showEditor: boolean;
  children?: ReactNode;
}) {
  const [extra, setExtra] = useState<EditorField[]>([]);
  // the Add New Service and Duplicate dialogs land here with ?added=1
  const added = useSearchParams().get("added") === "1";
  const form = useOptionForm(
    editor.options,
    async (values) => {
      const stored = await send<Record<string, unknown>>("PUT", serviceUrl(editor.name), { options: { ...values, _service: editor.kind } });
      return `Saved: ${Object.keys(stored).length - 1} option(s) set, the others at their defaults. In effect now.`;
    },
    "option",
    { guard: canEdit, message: added ? { ok: true, text: `Service ${editor.name} added: review its options.` } : null },
  );
  const paused = editor.kind === "callback" && /^true$/i.test(form.saved._paused ?? "");
  const fields = useMemo(() => [...editor.fields, ...extra], [editor.fields, extra]);
  const onPaused = (p: boolean) => {
    form.storedElsewhere("_paused", p ? "true" : "false");
    form.setMessage({ ok: true, text: p ? `${editor.name} is paused.` : `${editor.name} runs again.` });
  };

  return (
    <>
      <div className={styles.header}>
        <h1>{editor.name}</h1>
        <span className={styles.kind}>{editor.kind} service</span>
        {paused && <span className={styles.paused}>Paused</span>}
        {canEdit && (
          <div className={styles.actions} role="group" aria-label="Service actions">
            {editor.kind === "callback" && <PauseButton name={editor.name} paused={paused} onDone={onPaused} />}
            <DuplicateButton name={editor.name} />
            <DeleteButton name={editor.name} referencedBy={editor.referencedBy.map((r) => r.service)} />
          </div>
        )}
      </div>
      <p className={styles.meta}>
        <Link href="/services">← All services</Link>
        {editor.kind === "callback" && <Link href={`/callbacks?service=${encodeURIComponent(editor.name)}`}>Its callbacks</Link>}
        {editor.kind === "office-hours" && (
          <Link href={`/office-hours?service=${encodeURIComponent(editor.name)}`}>Open in the Office Hours editor</Link>
        )}
        {editor.kind === "capacity" && (
          <Link href={`/capacity?service=${encodeURIComponent(editor.name)}`}>Open in the Capacity editor</Link>
        )}
        <span>
          Referenced by:{" "}
          {editor.referencedBy.length
            ? editor.referencedBy.map((r, i) => (
                <span key={`${r.service} ${r.option}`}>
                  {i > 0 && ", "}
                  <Link href={`/services/${encodeURIComponent(r.service)}`}>{r.service}</Link> <span className="muted">({r.option})</span>
                </span>
              ))
            : "no service"}
        </span>
      </p>
      {children}
      {showEditor && (
        <form onSubmit={form.save} noValidate aria-label={`Options of ${editor.name}`}>
          {!canEdit && <p className="muted">Read only: only an admin changes services.</p>}
          <OptionEditor
            fields={fields}
            values={form.values}
            onChange={form.onChange}
            errors={form.errors}
            services={editor.services}
            readOnly={!canEdit}
          />
          {canEdit && (
            <AddOption
              taken={new Set(fields.map((f) => f.name))}
              onAdd={(name) => {
                setExtra((x) => [
                  ...x,
                  { name, group: "other", type: "string", description: "Added here: the server checks it if it is a known option" },
                ]);
              }}
            />
          )}
          {canEdit && <SaveBar form={form} label="Save" />}
        </form>
      )}
    </>
  );
}

function AddOption({ taken, onAdd }: { taken: Set<string>; onAdd: (name: string) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const id = useId();
  const add = () => {
    const n = name.trim();
    if (!/^[A-Za-z0-9_.<>-]{1,200}$/.test(n)) return setError("An option name has no spaces (e.g. _bh_regular2)");
    if (taken.has(n)) return setError(`${n} is already in the editor`);
    onAdd(n);
    setName("");
    setError("");
  };
  return (
    <div className={styles.editorTools}>
      <label className={styles.inlineLabel}>
        Add an option
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
          placeholder="e.g. _bh_regular2"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
        />
      </label>
      <button type="button" className="secondary" onClick={add}>
        Add option
      </button>
      {error && (
        <p id={`${id}-err`} className={styles.error}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The state of a confirm dialog whose button sends one request: the dialog's open state, busy while it runs, and why it failed
 * (cleared whenever the dialog opens or closes). On success the dialog closes, then `after` runs.
 */
function useConfirmAction(request: () => Promise<unknown>, after: () => void) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState("");
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await request();
      setOpen(false);
      after();
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const onOpenChange = (o: boolean) => {
    setOpen(o);
    setFailure("");
  };
  return { dialog: { open, onOpenChange }, failure, busy, go };
}

function PauseButton({ name, paused, onDone }: { name: string; paused: boolean; onDone: (paused: boolean) => void }) {
  const router = useRouter();
  const verb = paused ? "Resume" : "Pause";
  const { dialog, failure, busy, go } = useConfirmAction(
    () => send("POST", `${serviceUrl(name)}/pause`, { paused: !paused }),
    () => {
      onDone(!paused);
      router.refresh();
    },
  );
  return (
    <ActionDialog
      {...dialog}
      trigger={
        <button type="button" className={paused ? undefined : "secondary"}>
          {verb}
        </button>
      }
    >
      <Dialog.Title>
        {verb} {name}?
      </Dialog.Title>
      <Dialog.Description>
        {paused
          ? "Its PAUSED callbacks go back to QUEUED and are handed to agents again."
          : "New callbacks are still accepted, but none is handed to an agent: QUEUED callbacks are held as PAUSED until you resume."}
      </Dialog.Description>
      {failure && (
        <p role="alert" className={actionStyles.error}>
          {failure}
        </p>
      )}
      <div className={actionStyles.buttons}>
        <KeepButton>{paused ? "Keep it paused" : "Keep it running"}</KeepButton>
        <button type="button" onClick={go} disabled={busy}>
          {verb} {name}
        </button>
      </div>
    </ActionDialog>
  );
}

function DuplicateButton({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState(`${name}-copy`);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const id = useId();
  const go = async (e: React.FormEvent) => {
    e.preventDefault();
    const n = to.trim();
    if (!NAME.test(n)) return setError("Name: use 1-64 characters of A-Z a-z 0-9 _ . -");
    setBusy(true);
    try {
      await send("POST", `${serviceUrl(name)}/duplicate`, { name: n });
      setOpen(false);
      router.push(`/services/${encodeURIComponent(n)}?added=1`);
    } catch (err) {
      const f = err instanceof ServiceActionError ? err.fields : {};
      setError(f.name ? `Name: ${f.name}` : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => (setOpen(o), setError(""))}
      trigger={
        <button type="button" className="secondary">
          Duplicate
        </button>
      }
    >
      <Dialog.Title>Duplicate {name}</Dialog.Title>
      <Dialog.Description className={actionStyles.hint}>A new service with the same options, under a new name.</Dialog.Description>
      <form onSubmit={go} noValidate>
        <label>
          New service name
          <input
            value={to}
            onChange={(e) => setTo(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : undefined}
          />
        </label>
        {error && (
          <p id={`${id}-err`} className={actionStyles.error}>
            {error}
          </p>
        )}
        <div className={actionStyles.buttons}>
          <KeepButton>Cancel</KeepButton>
          <button type="submit" disabled={busy}>
            Duplicate as {to.trim() || "…"}
          </button>
        </div>
      </form>
    </ActionDialog>
  );
}

function DeleteButton({ name, referencedBy }: { name: string; referencedBy: string[] }) {
  const router = useRouter();
  const { dialog, failure, busy, go } = useConfirmAction(
    () => send("DELETE", serviceUrl(name)),
    () => {
      router.push("/services");
      router.refresh();
    },
  );
  return (
    <ActionDialog
      {...dialog}
      trigger={
        <button type="button" className={actionStyles.dangerOutline}>
          Delete
        </button>
      }
    >
      <Dialog.Title>Delete {name}?</Dialog.Title>
      <Dialog.Description>
        The service is removed at once: the public API answers 404 for it. Its callbacks stay in the store. This cannot be undone.
        {referencedBy.length > 0 && ` It is referenced by ${referencedBy.join(", ")}: the server will refuse.`}
      </Dialog.Description>
      {failure && (
        <p role="alert" className={actionStyles.error}>
          Not deleted: {failure}
        </p>
      )}
      <div className={actionStyles.buttons}>
        <KeepButton>Keep {name}</KeepButton>
        <button type="button" className={actionStyles.danger} onClick={go} disabled={busy}>
          Delete {name}
        </button>
      </div>
    </ActionDialog>
  );
}
