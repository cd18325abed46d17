SELECT pg_advisory_xact_lock($1)
-- params: ["8387236825053623552"]
