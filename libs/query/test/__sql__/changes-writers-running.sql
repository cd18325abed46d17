SELECT EXISTS (SELECT 1 FROM pg_locks WHERE "locktype" = 'virtualxid' AND "virtualxid" = ANY($1::text[])) AS "running"
-- params: [["3/17","5/2"]]
