"""PDF handbooks of published versions, from the published version to the stored file.

The chain, one module for each link:

1. `tasks` — the django-tasks task `render_version_pdf`, queued by induction/receivers.py once
   a publication has committed, so nothing slow runs inside the publishing transaction.
2. `storing` — `produce_version_pdf`: renders one version and records the outcome on it,
   the file (through Django's storage, content-addressed) or the reason it failed (with an
   audit event for the trust's editors). The task and `manage.py render_pack_pdfs` call it.
3. `handbook` — the HTML document WeasyPrint lays out: the version's frozen `rendered_html`
   (the same `pack_body.html` partial the reading view shows) inside
   `templates/induction/pdf/handbook.html` with `static/css/pdf.css`, so the HTML and the PDF
   cannot drift. Also the download's file name.
4. `rendering` — hands the handbook to the warm worker under a time, page and memory limit,
   holding one of the machine's render slots (`slots`), and reads back the PDF or the reason
   it was refused.
5. `warm_worker` — starts the warm worker once per process, gives it each job and kills a job
   that outlives its time.
6. `fork_server` — the warm worker itself (`python -m induction.pdf.fork_server`): WeasyPrint
   imported once, a fresh child forked for every job.
7. `worker` — what that child does: apply the job's limits and run WeasyPrint. It, the fork
   server and `warm_worker` import nothing from Django.
8. `url_fetcher` — the only way WeasyPrint may load anything: `data:` URLs and the site's own
   static and media files, read from disk.

Rendering is deterministic: the same version gives the same bytes. The download views only
serve the stored file and need nothing but `handbook`. This module imports nothing, so that
importing one part of the package loads no other, and WeasyPrint is loaded only where a PDF
is rendered (`worker` and `fork_server`, and `rendering.fetcher_config` when it is called).
"""
