WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."title" AS "c1", "t1"."author" AS "c2"
  FROM "articles" AS "t1"
  WHERE "t1"."id" = $2::int8),
"l3" AS (
  SELECT "t4"."id" AS "c0", "t4"."name" AS "c1", "t4"."email" AS "c2", "t4"."born" AS "c3", "t4"."bio" AS "c4", to_char(("t4"."created_on" AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "c5", "t4"."id" AS "c6", "t4"."id" AS "k"
  FROM "authors" AS "t4"
  WHERE "t4"."id" = ANY(ARRAY(SELECT "c2"
  FROM "l0"))) SELECT COALESCE((SELECT "y8"."v"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'title', "x2"."c1", E'author', "r7"."v") AS "v"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT json_build_object(E'id', "x5"."c0", E'name', "x5"."c1", E'email', "x5"."c2", E'born', "x5"."c3", E'bio', "x5"."c4", E'created_on', "x5"."c5", E'articles', array_to_json(ARRAY(SELECT "t6"."id"
  FROM "articles" AS "t6"
  WHERE "t6"."author" = "x5"."c6"
  ORDER BY "t6"."id" ASC NULLS LAST
  LIMIT $1))) AS "v", "x5"."k"
  FROM "l3" AS "x5") AS "r7" ON "r7"."k" = "x2"."c2") AS "y8"
  LIMIT 1)::text, 'null') AS "data"
  FROM (SELECT 1) AS "one"
-- params: [100,"3"]
