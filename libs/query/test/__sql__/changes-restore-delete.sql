INSERT INTO "authors" SELECT * FROM jsonb_populate_recordset(NULL::"authors", $1::jsonb)
-- params: ["[{\"id\":1,\"name\":\"Ann\"}]"]
