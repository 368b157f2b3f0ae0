"""Exchange formats for people who work outside this API: Popolo JSON, CSV and the published bulk downloads."""
