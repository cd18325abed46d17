WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "c1", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE EXISTS (SELECT 1
  FROM "articles_blocks" AS "t17"
  WHERE "t17"."articles_id" = "t1"."id" AND EXISTS (SELECT 1
  FROM "headings" AS "t18"
  WHERE "t17"."collection" = $4::text AND "t18"."id"::text = "t17"."item" AND "t18"."title" = $5::text))
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $6),
"l3" AS (
  SELECT *
  FROM (SELECT "t4"."collection" AS "c0", "t4"."item" AS "c1", "t4"."collection" AS "c2", "t4"."articles_id" AS "k", row_number() OVER (PARTITION BY "t4"."articles_id"
  ORDER BY "t4"."sort" ASC NULLS LAST, "t4"."id" ASC NULLS LAST) AS "o"
  FROM "articles_blocks" AS "t4"
  WHERE "t4"."articles_id" = ANY(ARRAY(SELECT "c1"
  FROM "l0"))) AS "w14"
  WHERE "w14"."o" <= $3),
"l6" AS (
  SELECT "t7"."title" AS "c0", "t7"."id"::text AS "k"
  FROM "headings" AS "t7"
  WHERE "t7"."id"::text IN (SELECT "c1"
  FROM "l3"
  WHERE "c2" = $1::text)),
"l10" AS (
  SELECT "t11"."id" AS "c0", "t11"."body" AS "c1", "t11"."id"::text AS "k"
  FROM "paragraphs" AS "t11"
  WHERE "t11"."id"::text IN (SELECT "c1"
  FROM "l3"
  WHERE "c2" = $2::text)) SELECT COALESCE(json_agg("y19"."v"
  ORDER BY "y19"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'blocks', COALESCE("r15"."v", '[]'::json)) AS "v", "x2"."s0"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT "z16"."k", json_agg("z16"."v"
  ORDER BY "z16"."o" ASC NULLS LAST) AS "v"
  FROM (SELECT json_build_object(E'collection', "x5"."c0", E'item', CASE WHEN "x5"."c2" = $1::text THEN "r9"."v" WHEN "x5"."c2" = $2::text THEN "r13"."v" ELSE to_json("x5"."c1") END) AS "v", "x5"."k", "x5"."o"
  FROM "l3" AS "x5"
  LEFT JOIN (SELECT json_build_object(E'title', "x8"."c0") AS "v", "x8"."k"
  FROM "l6" AS "x8") AS "r9" ON "x5"."c2" = $1::text AND "r9"."k" = "x5"."c1"
  LEFT JOIN (SELECT json_build_object(E'id', "x12"."c0", E'body', "x12"."c1") AS "v", "x12"."k"
  FROM "l10" AS "x12") AS "r13" ON "x5"."c2" = $2::text AND "r13"."k" = "x5"."c1") AS "z16"
  GROUP BY "z16"."k") AS "r15" ON "r15"."k" = "x2"."c1") AS "y19"
-- params: ["headings","paragraphs",100,"headings","Intro",100]
