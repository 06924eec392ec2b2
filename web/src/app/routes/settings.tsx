/** Admin settings: grows as the settings and user APIs land. */
export function SettingsPage() {
  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page__header">
        <h1 id="settings-title" className="page__title">
          Settings
        </h1>
        <p className="page__subtitle">Where the content lake lives, who may sign in, and their groups.</p>
      </header>
      <div className="empty">
        <div className="empty__title">Settings are set in the server's configuration for now</div>
        <div className="empty__text">
          <code>DAILIES_LAKE</code> names the content lake (a directory or <code>s3://bucket/prefix</code>).
        </div>
      </div>
    </section>
  );
}
