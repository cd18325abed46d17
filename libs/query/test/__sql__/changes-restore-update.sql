UPDATE "authors" AS "t" SET "name" = "b"."name", "email" = "b"."email", "born" = "b"."born", "bio" = "b"."bio", "created_on" = "b"."created_on" FROM jsonb_populate_recordset(NULL::"authors", $1::jsonb) AS "b" WHERE "t"."id" = "b"."id"
-- params: ["[{\"id\":1,\"name\":\"Ann\"}]"]
