SELECT "version" FROM "tessera_schema_state" WHERE "id" = 1
-- params: []

SELECT 1 FROM "tessera_schema_state" WHERE "id" = 1 FOR UPDATE
-- params: []

UPDATE "tessera_schema_state" SET "version" = "version" + 1, "updated_at" = now() WHERE "id" = 1 RETURNING "version"
-- params: []

SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
-- params: []
