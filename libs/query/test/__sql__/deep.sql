WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "c1", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $4),
"l3" AS (
  SELECT *
  FROM (SELECT "t4"."body" AS "c0", "t4"."article" AS "c1", "t4"."article" AS "k", row_number() OVER (PARTITION BY "t4"."article"
  ORDER BY "t4"."created" DESC NULLS FIRST, "t4"."id" ASC NULLS LAST) AS "o"
  FROM "comments" AS "t4"
  WHERE "t4"."article" = ANY(ARRAY(SELECT "c1"
  FROM "l0")) AND "t4"."body" IS NOT NULL) AS "w10"
  WHERE "w10"."o" > $2 AND "w10"."o" <= $3),
"l6" AS (
  SELECT "t7"."title" AS "c0", "t7"."id" AS "k"
  FROM "articles" AS "t7"
  WHERE "t7"."id" = ANY(ARRAY(SELECT "c1"
  FROM "l3")) AND "t7"."status" = $1::text) SELECT COALESCE(json_agg("y13"."v"
  ORDER BY "y13"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'comments', COALESCE("r11"."v", '[]'::json)) AS "v", "x2"."s0"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT "z12"."k", json_agg("z12"."v"
  ORDER BY "z12"."o" ASC NULLS LAST) AS "v"
  FROM (SELECT json_build_object(E'body', "x5"."c0", E'article', "r9"."v") AS "v", "x5"."k", "x5"."o"
  FROM "l3" AS "x5"
  LEFT JOIN (SELECT json_build_object(E'title', "x8"."c0") AS "v", "x8"."k"
  FROM "l6" AS "x8") AS "r9" ON "r9"."k" = "x5"."c1") AS "z12"
  GROUP BY "z12"."k") AS "r11" ON "r11"."k" = "x2"."c1") AS "y13"
-- params: ["published",1,3,100]
