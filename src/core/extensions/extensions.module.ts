import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ExtensionsExplorer } from './extensions-explorer';

/** Registers the decorated hooks of every module in the application (see ItemsFilter / ItemsAction). */
@Module({ imports: [DiscoveryModule], providers: [ExtensionsExplorer] })
export class ExtensionsModule {}
