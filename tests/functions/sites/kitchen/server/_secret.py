# A helper module (no "use server"): ships in the bundle, exports nothing.
TOKEN = "kitchen-secret-7c1e"
