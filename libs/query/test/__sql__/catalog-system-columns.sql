SELECT c."table_name", c."column_name" FROM information_schema.columns c
     JOIN information_schema.tables t ON t."table_schema" = c."table_schema" AND t."table_name" = c."table_name"
     WHERE c."table_schema" = 'public' AND t."table_type" = 'BASE TABLE' AND left(c."table_name", 9) = 'directus_'
     ORDER BY c."table_name", c."ordinal_position"
-- params: []
