import { installErrorTransfer } from 'hangar';
import { startAssistantSection } from './assistant-section.ts';
import { startAudioSection } from './audio-section.ts';
import { startBackupSection } from './backup-section.ts';
import { $ } from './dom.ts';
import { startModelSection } from './model-section.ts';
import { startTranscriptSection } from './transcript-section.ts';

installErrorTransfer();

const network = $('#network');
const renderNetwork = (): void => {
  network.textContent = navigator.onLine ? '' : 'Offline: models stored on this device still work.';
};
addEventListener('online', renderNetwork);
addEventListener('offline', renderNetwork);
renderNetwork();

startTranscriptSection();
startAudioSection();
startModelSection();
startAssistantSection();
startBackupSection();
if (import.meta.env.PROD && 'serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js');
