"""The induction app's commands: export, import and publish a pack, load the demo, make PDFs."""
