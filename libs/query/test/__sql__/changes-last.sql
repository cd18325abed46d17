SELECT max("id")::text AS "last" FROM "tessera_changes"
-- params: []
