SELECT "id" AS pk
  FROM "articles"
  WHERE "id" = ANY($1) AND "author" IS DISTINCT
  FROM $2
-- params: [[4,5],1]
