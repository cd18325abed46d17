INSERT INTO "settings" ("id") VALUES (DEFAULT), (DEFAULT) RETURNING *
-- params: []
