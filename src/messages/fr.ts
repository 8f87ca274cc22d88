// French sentences.
import type { MessageCatalogue } from './types';

export const fr: MessageCatalogue = {
  authentication_required: 'Connectez-vous d’abord.',
  second_factor_required: 'Confirmez votre identité avec un code à usage unique pour continuer.',
  invalid_request: 'La requête n’a pas pu être lue.',
  invalid_code_format: 'Saisissez le code à {digits} chiffres que nous vous avons envoyé, chiffres uniquement.',
  invalid_channel: 'Choisissez comment recevoir le code : « sms » ou « voice ».',
  no_pending_challenge: 'Demandez d’abord un code.',
  challenge_expired: 'Ce code a expiré. Demandez-en un nouveau.',
  invalid_code: 'Ce code n’est pas valide. Vérifiez le dernier code reçu ou demandez-en un nouveau.',
  resend_cooldown: 'Un code vient d’être envoyé. Vous pourrez en demander un autre dans {wait}.',
  send_limit_reached: 'Trop de codes ont été demandés. Réessayez dans {wait}.',
  locked_out: 'Trop de tentatives. Réessayez dans {wait}.',
  provider_unavailable: 'Impossible d’envoyer ou de vérifier un code pour le moment. Réessayez dans {wait}.',
  provider_misconfigured: 'Impossible d’envoyer ou de vérifier un code pour le moment à cause d’un problème de configuration. L’équipe du site a été prévenue.',
  service_unavailable: 'Le service est momentanément indisponible. Réessayez dans un instant.',
  not_configured: 'L’authentification à deux facteurs n’est pas correctement configurée sur ce serveur.',
  wait_unknown: 'un instant',
  sms_template: 'Votre code de vérification {NAME} est {CODE}. Il expire dans quelques minutes. Ne le communiquez à personne.',
  voice_template: 'Votre code de vérification {NAME} est {CODE}.',
  seconds: { one: '{count} seconde', other: '{count} secondes' },
  minutes: { one: '{count} minute', other: '{count} minutes' },
  hours: { one: '{count} heure', other: '{count} heures' },
};
