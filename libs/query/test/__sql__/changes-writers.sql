SELECT coalesce(array_agg(DISTINCT "virtualtransaction"), '{}') AS "writers" FROM pg_locks WHERE "locktype" = 'relation' AND "relation" = '"tessera_changes"'::regclass AND "mode" = 'RowExclusiveLock' AND "granted" AND "pid" IS DISTINCT FROM pg_backend_pid()
-- params: []
