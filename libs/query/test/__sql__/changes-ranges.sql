SELECT "c"."id"::text AS "id", "c"."collection", "c"."action", "c"."keys", "c"."before" FROM "tessera_changes" AS "c" JOIN unnest($1::int8[], $2::int8[]) WITH ORDINALITY AS "r" ("first", "last", "n") ON "c"."id" BETWEEN "r"."first" AND "r"."last" ORDER BY "r"."n", "c"."id"
-- params: [["12","5"],["12","9"]]
