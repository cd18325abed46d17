WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."title" AS "c1", "t1"."author" AS "c2", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE "t1"."id" = ANY($2::int8[])
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $3),
"l3" AS (
  SELECT "t4"."id" AS "c0", "t4"."name" AS "c1", "t4"."email" AS "c2", to_char("t4"."born", 'YYYY-MM-DD') AS "c3", "t4"."bio" AS "c4", to_char(("t4"."created_on" AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "c5", "t4"."id" AS "c6", "t4"."id" AS "k"
  FROM "authors" AS "t4"
  WHERE "t4"."id" IN (SELECT "c2"
  FROM "l0")),
"l6" AS (
  SELECT *
  FROM (SELECT "t7"."id" AS "c0", "t7"."author" AS "k", row_number() OVER (PARTITION BY "t7"."author"
  ORDER BY "t7"."id" ASC NULLS LAST) AS "o"
  FROM "articles" AS "t7"
  WHERE "t7"."author" IN (SELECT "c6"
  FROM "l3")) AS "w9"
  WHERE "w9"."o" <= $1) SELECT COALESCE((SELECT "y13"."v"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'title', "x2"."c1", E'author', "r12"."v") AS "v", "x2"."s0"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT json_build_object(E'id', "x5"."c0", E'name', "x5"."c1", E'email', "x5"."c2", E'born', "x5"."c3", E'bio', "x5"."c4", E'created_on', "x5"."c5", E'articles', COALESCE("r10"."v", '[]'::json)) AS "v", "x5"."k"
  FROM "l3" AS "x5"
  LEFT JOIN (SELECT "z11"."k", json_agg("z11"."v"
  ORDER BY "z11"."o" ASC NULLS LAST) AS "v"
  FROM (SELECT "x8"."c0" AS "v", "x8"."k", "x8"."o"
  FROM "l6" AS "x8") AS "z11"
  GROUP BY "z11"."k") AS "r10" ON "r10"."k" = "x5"."c6") AS "r12" ON "r12"."k" = "x2"."c2") AS "y13"
  ORDER BY "y13"."s0" ASC NULLS LAST
  LIMIT 1)::text, 'null') AS "data"
  FROM (SELECT 1) AS "one"
-- params: [100,["3"],1]
