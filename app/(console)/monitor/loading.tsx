import styles from "./monitor.module.css";

// The shape of the Monitor while its first read model renders on the server: header, filter and eight cards.
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the monitor">
      <h1 className={styles.title}>Monitor</h1>
      <div className={styles.grid}>
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className={`${styles.card} ${styles.skeleton}`} />
        ))}
      </div>
    </div>
  );
}
