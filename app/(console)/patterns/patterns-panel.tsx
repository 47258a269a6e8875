"use client";
// The Patterns panel: groups on the left, the chosen group's patterns with the services that use it, and a tester
// that asks the engine whether Start-Callback would refuse a number. Admins edit; everyone else reads.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import type { PatternGroups, PatternGroupView } from "@/lib/console/patterns";
import { fetchJson } from "../fetch-json";
import { sendJson } from "../send-json";
import { GroupDialog, PatternDialog } from "./pattern-dialogs";
import { ConfirmDelete } from "../confirm-delete";
import { PatternTester } from "./pattern-tester";
import styles from "./patterns.module.css";
import { RefreshFailed, Toast } from "../panel-states";

export const PATTERNS_KEY = ["patterns"] as const;

export function PatternsPanel({ initial, initialGroup, canEdit }: { initial: PatternGroups; initialGroup: string; canEdit: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const client = useQueryClient();
  const [toast, setToast] = useState("");
  const [chosen, setChosen] = useState(initialGroup);
  const [matches, setMatches] = useState<Set<string>>(new Set());
  const onResult = useCallback((names: string[]) => setMatches(new Set(names)), []);
  const data = useQuery({ queryKey: PATTERNS_KEY, queryFn: () => fetchJson<PatternGroups>("/api/console/patterns"), initialData: initial });
  const groups = data.data.groups;
  const group = groups.find((g) => g.name === chosen) ?? groups[0];

  const choose = (name: string) => {
    setChosen(name);
    setMatches(new Set());
    // the chosen group lives in the URL: a link to it can be shared, and Back returns to the previous one
    router.replace(`${pathname}?group=${encodeURIComponent(name)}`, { scroll: false });
  };
  const done = async (message: string, select?: string) => {
    await client.invalidateQueries({ queryKey: PATTERNS_KEY });
    if (select !== undefined) choose(select);
    setToast(message);
  };

  return (
    <>
      <RefreshFailed what="the pattern groups" query={data} />
      <div className={styles.layout}>
        <nav className={styles.groups} aria-label="Pattern groups">
          <div className={styles.groupsHead}>
            <h2>Groups</h2>
            {canEdit && <GroupDialog onCreated={(g) => done(`Pattern group ${g} created`, g)} />}
          </div>
          {groups.length === 0 ? (
            <p className="hint">{canEdit ? "No pattern groups yet. Create one with New group." : "No pattern groups are configured."}</p>
          ) : (
            <ul>
              {groups.map((g) => (
                <li key={g.name}>
                  <button
                    type="button"
                    className={styles.groupButton}
                    aria-current={g.name === group?.name ? "true" : undefined}
                    onClick={() => choose(g.name)}
                  >
                    <span className={styles.groupName}>{g.name}</span>
                    <span className={styles.groupMeta}>
                      {g.patterns.length} pattern{g.patterns.length === 1 ? "" : "s"} ·{" "}
                      {g.services.length ? `${g.services.length} in use` : "unused"}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        {group && (
          <div className={styles.detail}>
            <GroupCard group={group} canEdit={canEdit} matches={matches} done={done} />
            <PatternTester key={group.name} group={group} services={data.data.callbackServices} onResult={onResult} />
          </div>
        )}
      </div>
      <Toast message={toast} onDismiss={() => setToast("")} />
    </>
  );
}

function GroupCard({
  group,
  canEdit,
  matches,
  done,
}: {
  group: PatternGroupView;
  canEdit: boolean;
  matches: Set<string>;
  done: (message: string, select?: string) => Promise<void>;
}) {
  const inUse = group.services.length > 0;
  const groupUrl = `/api/console/patterns/${encodeURIComponent(group.name)}`;
  const deleteGroupReason = inUse ? `In use: remove it from the _exceptions of ${group.services.join(", ")} to delete it` : undefined;
  return (
    <section className="card" aria-labelledby="group-title">
      <div className={styles.cardHead}>
        <h2 id="group-title">{group.name}</h2>
        {canEdit && (
          <div className={styles.buttons}>
            <PatternDialog group={group.name} onSaved={(n) => done(`Pattern ${n} added to ${group.name}`)} />
            <ConfirmDelete
              trigger="Delete group"
              title={`Delete the pattern group ${group.name}?`}
              description={`Its ${group.patterns.length} pattern(s) go with it. No service uses it.`}
              confirm={`Delete group ${group.name}`}
              disabledReason={deleteGroupReason}
              action={() => sendJson("DELETE", groupUrl)}
              onDone={() => done(`Pattern group ${group.name} deleted`, "")}
            />
          </div>
        )}
      </div>
      <p className={styles.usedBy}>
        {inUse ? (
          <>
            Used by {group.services.length === 1 ? "service" : "services"}{" "}
            {group.services.map((s, i) => (
              <span key={s}>
                {i > 0 && ", "}
                <code>{s}</code>
              </span>
            ))}{" "}
            (option <code>_exceptions</code>)
          </>
        ) : (
          <>
            Not used by any service: list it in a callback service&apos;s <code>_exceptions</code> option to apply it.
          </>
        )}
      </p>
      {canEdit && inUse && <p className="hint">Delete group is off. {deleteGroupReason}.</p>}
      {group.patterns.length === 0 ? (
        <p className="hint">This group has no patterns: it refuses no number.{canEdit ? " Add one with Add pattern." : ""}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table aria-label={`Patterns of ${group.name}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Regular expression</th>
                <th scope="col">Tester</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {group.patterns.map((p) => {
                const hit = matches.has(p.name);
                return (
                  <tr key={p.name} className={hit ? styles.hit : undefined} data-matches={hit ? "true" : undefined}>
                    <td>{p.name}</td>
                    <td>
                      <code className={styles.regex}>{p.regex}</code>
                    </td>
                    <td>{hit ? <span className={styles.hitBadge}>Matches</span> : <span className="muted">—</span>}</td>
                    {canEdit && (
                      <td>
                        <div className={styles.rowActions}>
                          <PatternDialog group={group.name} pattern={p} onSaved={(n) => done(`Pattern ${n} of ${group.name} saved`)} />
                          <ConfirmDelete
                            trigger="Delete"
                            triggerLabel={`Delete pattern ${p.name}`}
                            title={`Delete the pattern ${p.name}?`}
                            description={
                              inUse
                                ? `Numbers it matches will no longer be refused by ${group.services.join(", ")}.`
                                : "No service uses this group yet."
                            }
                            confirm={`Delete pattern ${p.name}`}
                            action={() => sendJson("DELETE", `${groupUrl}/${encodeURIComponent(p.name)}`)}
                            onDone={() => done(`Pattern ${p.name} deleted from ${group.name}`)}
                          />
                        </div>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
