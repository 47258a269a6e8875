"use client";
// Which optional columns the table shows (Service ID, extra property keys), remembered per user in this browser.
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";

interface ColumnPrefs {
  showId: boolean;
  keys: string[];
}
const CHANGED = "callbacks-columns";
const storageKey = (user: string) => `callbacks.columns.${user}`;
const subscribe = (onChange: () => void) => {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
};

function parse(raw: string | null): ColumnPrefs & { saved: boolean } {
  try {
    const p = raw ? (JSON.parse(raw) as Partial<ColumnPrefs>) : {};
    return {
      showId: p.showId === true,
      keys: Array.isArray(p.keys) ? p.keys.filter((k) => typeof k === "string") : [],
      saved: raw !== null,
    };
  } catch {
    return { showId: false, keys: [], saved: false };
  }
}

export function useColumnPrefs(user: string) {
  const raw = useSyncExternalStore(
    subscribe,
    () => localStorage.getItem(storageKey(user)),
    () => null,
  );
  return useMemo(() => parse(raw), [raw]);
}

function save(user: string, prefs: ColumnPrefs) {
  localStorage.setItem(storageKey(user), JSON.stringify(prefs));
  window.dispatchEvent(new Event(CHANGED));
}

export function ColumnsMenu({
  user,
  prefs,
  keys,
  onKeys,
}: {
  user: string;
  prefs: Awaited<ReturnType<typeof useColumnPrefs>>;
  /** the extra keys in the URL (what the table shows now) */
  keys: string[];
  onKeys: (keys: string[]) => void;
}) {
  const [draft, setDraft] = useState("");
  // a URL without `keys` shows the user's remembered extra columns
  const urlHasKeys = keys.length > 0;
  useEffect(() => {
    if (!urlHasKeys && prefs.keys.length) onKeys(prefs.keys);
  }, [urlHasKeys, prefs.keys, onKeys]);

  const setKeys = (next: string[]) => {
    save(user, { showId: prefs.showId, keys: next });
    onKeys(next);
  };
  const known = [...new Set([...prefs.keys, ...keys])];
  return (
    <details className="menu">
      <summary>Columns</summary>
      <div className="menu-body" style={{ right: 0 }}>
        <label>
          <input type="checkbox" checked={prefs.showId} onChange={(e) => save(user, { showId: e.target.checked, keys })} />
          Service ID
        </label>
        {known.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={keys.includes(k)}
              onChange={() => setKeys(keys.includes(k) ? keys.filter((x) => x !== k) : [...keys, k])}
            />
            {k}
          </label>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const k = draft.trim();
            if (k && !keys.includes(k)) setKeys([...keys, k].slice(0, 20));
            setDraft("");
          }}
        >
          <label htmlFor="col-key">Show a property as a column</label>
          <input
            id="col-key"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="e.g. customer_name"
            maxLength={100}
          />{" "}
          <button type="submit" className="secondary">
            Add
          </button>
        </form>
      </div>
    </details>
  );
}
